package io.ferry.coordination;

import java.util.Map;
import java.util.Objects;

/**
 * What a live node publishes in its ephemeral {@code /nodes/{id}}.
 *
 * @param session the ZooKeeper session (hex) that owns the registration; assignments name it, so a node that
 *     comes back with a new session never acts on work given to its previous incarnation
 * @param abandoned pids whose threads ignored suspend() past the deadline and still run here, given up on
 * @param agent the node agent's own process, so that a restart on the same host can prove it gone; null when
 *     written by a version that did not record it
 */
public record NodeInfo(int v, String id, String host, int slots, Map<String, String> labels, String version,
        long startedAt, String session, String workdir, java.util.List<String> abandoned, ProcessIdentity agent) {
    public static final int FORMAT = 1;

    public NodeInfo {
        Names.checkNode(id);
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be >= 0, got " + slots);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        Objects.requireNonNull(session, "session");
        abandoned = abandoned == null ? java.util.List.of() : java.util.List.copyOf(abandoned);
    }

    public NodeInfo withAbandoned(java.util.List<String> abandoned) {
        return new NodeInfo(v, id, host, slots, labels, version, startedAt, session, workdir, abandoned, agent);
    }

    /** Whether this node carries every label in {@code constraints}. */
    public boolean matches(Map<String, String> constraints) {
        return constraints.entrySet().stream().allMatch(c -> c.getValue().equals(labels.get(c.getKey())));
    }
}
