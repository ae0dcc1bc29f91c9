package io.ferry.coordination;

import java.util.List;

/**
 * The content of {@code /avoided/{node}}: the leader places nothing on this node until {@link #until} while any
 * other node has room, because several different processes failed to start there within a short window (a node
 * missing a library, a full disk), the way Storm's blacklist scheduler avoids a failing supervisor. Written by the
 * leader for people ({@code ferry nodes}); the leader itself decides from the status histories, so a new leader
 * reaches the same verdict.
 *
 * @param failures the pids that failed to start there, each with its reason, latest last
 */
public record Avoidance(int v, String node, long since, long until, List<String> failures) {
    public static final int FORMAT = 1;

    public Avoidance {
        Names.checkNode(node);
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** Whether it still holds at {@code now} (epoch millis). */
    public boolean holds(long now) {
        return now < until;
    }
}
