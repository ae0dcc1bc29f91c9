package io.ferry.coordination;

import java.util.Objects;

/**
 * What a client currently wants of a process; the leader reconciles the cluster towards it.
 *
 * @param node the node it should run on, or null for any
 * @param avoid a node it should move away from (a migration without a target), or null
 * @param checkpoint how many on-demand checkpoints have been asked for; the node records how many it took
 * @param restart how many restarts by hand ({@code ferry restart}) have been asked for; the status records how many
 *     were made
 * @param fresh whether the latest restart asked for starts from the arguments rather than the latest snapshot
 */
public record Desired(DesiredState state, String node, String avoid, long checkpoint, long restart, boolean fresh) {
    public Desired(DesiredState state, String node, String avoid, long checkpoint) {
        this(state, node, avoid, checkpoint, 0, false);
    }

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
        return new Desired(state, node, avoid, checkpoint, restart, fresh);
    }

    public Desired withPlacement(String node, String avoid) {
        return new Desired(state, node, avoid, checkpoint, restart, fresh);
    }

    public Desired withCheckpoint(long checkpoint) {
        return new Desired(state, node, avoid, checkpoint, restart, fresh);
    }

    /** One more restart by hand, running, from the latest snapshot or (fresh) from the arguments. */
    public Desired withRestart(boolean fresh) {
        return new Desired(DesiredState.RUNNING, node, avoid, checkpoint, restart + 1, fresh);
    }
}
