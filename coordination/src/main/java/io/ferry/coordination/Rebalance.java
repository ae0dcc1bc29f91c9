package io.ferry.coordination;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans moves that even out a cluster: from the fullest node to the emptiest that may take the process (labels,
 * free slots), until no two nodes that take work differ by more than one process, or the moves run out. Only
 * RUNNING processes that are not pinned ({@code --node}) move; cordoned, draining and avoided nodes neither give
 * nor take.
 * A balanced cluster plans nothing, so a second run after the first's moves is a no-op.
 */
public final class Rebalance {
    /** One planned move. */
    public record Move(String pid, String from, String to) {}

    private Rebalance() {}

    public static List<Move> plan(List<NodeView> nodes, List<ProcessView> processes, int maxMoves) {
        Map<String, NodeInfo> open = new LinkedHashMap<>();
        Map<String, List<String>> movable = new HashMap<>();
        Map<String, Integer> used = new HashMap<>();
        for (NodeView n : nodes) {
            if (n.cordon() == null && n.avoided() == null) {
                open.put(n.info().id(), n.info());
                used.put(n.info().id(), n.used());
                movable.put(n.info().id(), new ArrayList<>());
            }
        }
        Map<String, ProcessView> byPid = new HashMap<>();
        processes.stream().sorted(Comparator.comparingLong(v -> Names.number(v.pid()))).forEach(v -> {
            byPid.put(v.pid(), v);
            if (v.state() == ProcessState.RUNNING && v.record().spec().node() == null && movable.containsKey(v.node())) {
                movable.get(v.node()).add(v.pid());
            }
        });
        List<Move> moves = new ArrayList<>();
        while (moves.size() < maxMoves) {
            Move next = null;
            // the fullest nodes first; from each, to the emptiest node that can take one of its processes
            List<String> fullest = open.keySet().stream()
                    .sorted(Comparator.comparing((String id) -> -used.get(id)).thenComparing(id -> id)).toList();
            for (String from : fullest) {
                for (String pid : movable.get(from)) {
                    ProcessSpec spec = byPid.get(pid).record().spec();
                    String to = open.values().stream()
                            .filter(n -> !n.id().equals(from) && used.get(n.id()) < n.slots() && n.matches(spec.labels())
                                    && used.get(from) - used.get(n.id()) > 1)
                            .min(Comparator.comparing((NodeInfo n) -> used.get(n.id())).thenComparing(NodeInfo::id))
                            .map(NodeInfo::id).orElse(null);
                    if (to != null) {
                        next = new Move(pid, from, to);
                        break;
                    }
                }
                if (next != null) {
                    break;
                }
            }
            if (next == null) {
                break;
            }
            moves.add(next);
            movable.get(next.from()).remove(next.pid());
            used.merge(next.from(), -1, Integer::sum);
            used.merge(next.to(), 1, Integer::sum);
        }
        return moves;
    }
}
