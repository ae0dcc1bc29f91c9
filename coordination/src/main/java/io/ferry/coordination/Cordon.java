package io.ferry.coordination;

/**
 * The content of {@code /cordons/{node}}: a node that takes no new work (CORDONED), or that also has its processes
 * moved off, at most {@link #parallel} at once (DRAINING). Absent: the node is READY. Written by clients (and by a
 * node started {@code --cordoned}); kept when the node restarts, so maintenance survives a reboot.
 *
 * @param since when it was cordoned or the drain began (epoch millis)
 */
public record Cordon(int v, String node, State state, int parallel, long since) {
    public static final int FORMAT = 1;
    /** The most moves a drain may have under way at once. */
    public static final int MAX_PARALLEL = 64;

    public enum State {
        CORDONED, DRAINING
    }

    public Cordon {
        Names.checkNode(node);
        java.util.Objects.requireNonNull(state, "state");
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw new IllegalArgumentException("--parallel must be 1.." + MAX_PARALLEL + ", got " + parallel);
        }
    }
}
