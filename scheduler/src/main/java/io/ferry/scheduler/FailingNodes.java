package io.ferry.scheduler;

import io.ferry.coordination.Avoidance;
import io.ferry.coordination.Durations;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodes on which {@link #failures} different processes failed to start within {@link #window} (a node missing a
 * library or a file, its disk full), avoided for {@link #avoidFor} after that, as Storm's blacklist scheduler does:
 * the leader gives such a node work only when no other node has room. A failed start is a generation that went
 * from STARTING straight to FAILED or RESTARTING on that node; one process failing everywhere counts once per
 * node, so a bad process alone never makes a node look bad. Everything comes from status histories, so a new
 * leader reaches the same verdicts ({@link #learn}). Owned by the leading thread.
 */
final class FailingNodes {
    static final String FAILURES = "ferry.scheduler.avoid.failures";
    static final String WINDOW = "ferry.scheduler.avoid.window";
    static final String FOR = "ferry.scheduler.avoid.for";
    /** The failures an avoidance names, latest last. */
    private static final int NAMED = 8;

    private final int failures;
    private final Duration window;
    private final Duration avoidFor;
    /** By node: each pid that failed to start there lately, with when and why. */
    private final Map<String, Map<String, Transition>> failed = new HashMap<>();
    private final Map<String, Avoidance> avoided = new HashMap<>();

    FailingNodes(int failures, Duration window, Duration avoidFor) {
        if (failures < 1) {
            throw new IllegalArgumentException(FAILURES + " must be at least 1, got " + failures);
        }
        this.failures = failures;
        this.window = window;
        this.avoidFor = avoidFor;
    }

    static FailingNodes from(FerrySettings settings) {
        return new FailingNodes((int) settings.number(FAILURES, 3), settings.duration(WINDOW, Duration.ofMinutes(5)),
                settings.duration(FOR, Duration.ofMinutes(10)));
    }

    /** Forgets everything: a new leadership learns it again from the histories. */
    void clear() {
        failed.clear();
        avoided.clear();
    }

    /** The failed start that ends {@code s}'s history, if that is how it ended; else null. */
    static Transition failedStart(ProcessStatus s) {
        List<Transition> h = s.history();
        int n = h.size();
        return n >= 2 && isFailedStart(h.get(n - 2), h.get(n - 1)) ? h.get(n - 1) : null;
    }

    /** Takes in every failed start in {@code s}'s history within the window before {@code now}. */
    void learn(ProcessStatus s, long now) {
        List<Transition> h = s.history();
        for (int i = 1; i < h.size(); i++) {
            if (isFailedStart(h.get(i - 1), h.get(i))) {
                failed(s.pid(), h.get(i), now);
            }
        }
    }

    private static boolean isFailedStart(Transition before, Transition t) {
        return (t.state() == ProcessState.FAILED || t.state() == ProcessState.RESTARTING)
                && before.state() == ProcessState.STARTING && before.generation() == t.generation()
                && t.node() != null && t.node().equals(before.node());
    }

    /** Every avoidance that holds at {@code now}. */
    List<Avoidance> current(long now) {
        return avoided.values().stream().filter(a -> a.holds(now)).toList();
    }

    /**
     * Records that {@code pid} failed to start as {@code t} says; returns the avoidance this failure begins or
     * extends, or null.
     */
    Avoidance failed(String pid, Transition t, long now) {
        if (now - t.at() > window.toMillis()) {
            return null;
        }
        Map<String, Transition> recent = failed.computeIfAbsent(t.node(), n -> new LinkedHashMap<>());
        Transition known = recent.get(pid);
        if (known != null && known.at() >= t.at()) {
            return null; // seen already (a pass that did not commit looks again)
        }
        recent.remove(pid);
        recent.put(pid, t);
        recent.values().removeIf(f -> now - f.at() > window.toMillis());
        if (recent.size() < failures) {
            return null;
        }
        List<String> named = new ArrayList<>();
        recent.forEach((p, f) -> named.add(p + ": " + f.reason()));
        Avoidance before = avoided.get(t.node());
        Avoidance a = new Avoidance(Avoidance.FORMAT, t.node(), before != null && before.holds(now) ? before.since()
                : t.at(), t.at() + avoidFor.toMillis(), named.subList(Math.max(0, named.size() - NAMED), named.size()));
        avoided.put(t.node(), a);
        return a;
    }

    /** {@code nodes} less the ones avoided at {@code now}. */
    Map<String, NodeInfo> healthy(Map<String, NodeInfo> nodes, long now) {
        if (avoided.isEmpty()) {
            return nodes;
        }
        Map<String, NodeInfo> out = new LinkedHashMap<>(nodes);
        out.keySet().removeIf(id -> {
            Avoidance a = avoided.get(id);
            return a != null && a.holds(now);
        });
        return out;
    }

    /** The nodes whose avoidance has ended by {@code now}, forgotten here. */
    List<String> expire(long now) {
        List<String> ended = new ArrayList<>();
        avoided.values().removeIf(a -> {
            if (!a.holds(now)) {
                ended.add(a.node());
                return true;
            }
            return false;
        });
        failed.values().forEach(m -> m.values().removeIf(f -> now - f.at() > window.toMillis()));
        failed.values().removeIf(Map::isEmpty);
        return ended;
    }

    /** Why a node is avoided, for logs: the count, the window, and the latest failure. */
    String why(Avoidance a) {
        return a.failures().size() + " processes failed to start on " + a.node() + " within "
                + Durations.format(window) + ", the latest " + a.failures().get(a.failures().size() - 1)
                + "; avoided until " + java.time.Instant.ofEpochMilli(a.until()) + " (" + FAILURES + " is "
                + failures + ")";
    }
}
