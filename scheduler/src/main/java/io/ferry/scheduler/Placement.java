package io.ferry.scheduler;

import io.ferry.coordination.Desired;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.ProcessSpec;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Where a process should run. A wanted node that is alive is honoured (or waited for while it is full); otherwise
 * the live node with the most free slots among those carrying the spec's labels, preferring any node but the one
 * to avoid, ties broken by id so decisions are reproducible.
 */
final class Placement {
    private Placement() {}

    /**
     * @param used slots in use per node id
     * @return the node to place on, or empty to wait for capacity
     */
    static Optional<NodeInfo> choose(ProcessSpec spec, Desired desired, Map<String, NodeInfo> live,
            Map<String, Integer> used) {
        if (desired.node() != null && live.containsKey(desired.node())) {
            NodeInfo wanted = live.get(desired.node());
            return free(wanted, used) > 0 ? Optional.of(wanted) : Optional.empty();
        }
        Comparator<NodeInfo> best = Comparator.<NodeInfo>comparingInt(n -> free(n, used)).reversed()
                .thenComparing(NodeInfo::id);
        Optional<NodeInfo> elsewhere = live.values().stream()
                .filter(n -> n.matches(spec.labels()) && free(n, used) > 0 && !n.id().equals(desired.avoid()))
                .min(best);
        if (elsewhere.isPresent() || desired.avoid() == null) {
            return elsewhere;
        }
        NodeInfo avoided = live.get(desired.avoid());
        return avoided != null && avoided.matches(spec.labels()) && free(avoided, used) > 0
                ? Optional.of(avoided) : Optional.empty();
    }

    /** Whether a running process on {@code current} should move, and where to. */
    static Optional<NodeInfo> moveTarget(ProcessSpec spec, Desired desired, String current,
            Map<String, NodeInfo> live, Map<String, Integer> used) {
        boolean wantsOther = desired.node() != null && !desired.node().equals(current) && live.containsKey(desired.node());
        boolean avoids = desired.node() == null && current.equals(desired.avoid());
        if (!wantsOther && !avoids) {
            return Optional.empty();
        }
        return choose(spec, desired, live, used).filter(n -> !n.id().equals(current));
    }

    /** Slots neither assigned nor held by an abandoned thread (one that ignored suspend() and still runs there). */
    static int free(NodeInfo node, Map<String, Integer> used) {
        return node.slots() - used.getOrDefault(node.id(), 0) - node.abandoned().size();
    }
}
