package io.ferry.coordination;

import java.util.Objects;

/**
 * What a client currently wants of a process; the leader reconciles the cluster towards it.
 *
 * @param node the node it should run on, or null for any
 * @param avoid a node it should move away from (a migration without a target), or null
 * @param checkpoint how many on-demand checkpoints have been asked for; the node records how many it took
 */
public record Desired(DesiredState state, String node, String avoid, long checkpoint) {
    public Desired {
        Objects.requireNonNull(state, "desired state");
        if (node != null) {
            Names.checkNode(node);
        }
        if (avoid != null) {
            Names.checkNode(avoid);
        }
    }

    public Desired withState(DesiredState state) {
        return new Desired(state, node, avoid, checkpoint);
    }

    public Desired withPlacement(String node, String avoid) {
        return new Desired(state, node, avoid, checkpoint);
    }

    public Desired withCheckpoint(long checkpoint) {
        return new Desired(state, node, avoid, checkpoint);
    }
}
