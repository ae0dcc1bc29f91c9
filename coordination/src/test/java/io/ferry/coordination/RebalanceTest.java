package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rebalancing plans: fullest to emptiest, within labels, slots and pins, bounded, and nothing once balanced. */
class RebalanceTest {
    private final List<ProcessView> processes = new ArrayList<>();

    @Test
    void movesFromTheFullestToTheEmptiestUntilNoTwoDifferByMoreThanOne() {
        List<NodeView> nodes = List.of(node("a", 8, run(6, "a")), node("b", 8, List.of()), node("c", 8, run(1, "c")));
        List<Rebalance.Move> moves = Rebalance.plan(nodes, processes, 100);
        assertThat(moves).extracting(Rebalance.Move::from).containsOnly("a");
        assertThat(moves).extracting(Rebalance.Move::to).containsExactly("b", "b", "c"); // 6,0,1 -> 3,2,2
        assertThat(Rebalance.plan(nodes, processes, 2)).hasSize(2);
    }

    @Test
    void leavesPinnedProcessesLabelsAndCordonedNodesAlone() {
        List<String> onA = run(4, "a");
        processes.replaceAll(v -> v.pid().equals(onA.get(0)) ? pinned(v, "a") : v);
        NodeView labelled = new NodeView(info("b", 8, Map.of("gpu", "yes")), List.of(), null, null);
        NodeView cordoned = new NodeView(info("c", 8, Map.of()), List.of(), new Cordon(Cordon.FORMAT, "c",
                Cordon.State.CORDONED, 1, 0), null);
        List<NodeView> nodes = List.of(node("a", 8, onA), labelled, cordoned);
        List<Rebalance.Move> moves = Rebalance.plan(nodes, processes, 100);
        assertThat(moves).extracting(Rebalance.Move::to).containsOnly("b");
        assertThat(moves).extracting(Rebalance.Move::pid).doesNotContain(onA.get(0));
        assertThat(moves).hasSize(2); // 4, 0 (c cordoned) -> 2, 2

        // a process that needs a label no other node has stays where it is
        List<String> needy = run(3, "d");
        processes.replaceAll(v -> needy.contains(v.pid()) ? labelled(v, Map.of("disk", "ssd")) : v);
        assertThat(Rebalance.plan(List.of(node("d", 8, needy), node("e", 8, List.of())), processes, 100)).isEmpty();
    }

    @Test
    void aBalancedClusterPlansNothing() {
        List<NodeView> nodes = List.of(node("a", 4, run(2, "a")), node("b", 4, run(1, "b")), node("c", 4, run(2, "c")));
        assertThat(Rebalance.plan(nodes, processes, 100)).isEmpty();
    }

    private List<String> run(int n, String node) {
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String pid = "p-" + (processes.size() + 1);
            ProcessRecord r = new ProcessRecord(ProcessRecord.FORMAT, pid, ProcessSpec.of("X"),
                    new Desired(DesiredState.RUNNING, null, null, 0), 0);
            ProcessStatus s = ProcessStatus.pending(pid, 0, "accepted").moveTo(ProcessState.STARTING, node, "1", 1,
                    "placed", 0).moveTo(ProcessState.RUNNING, node, "1", 1, "started", 0);
            processes.add(new ProcessView(r, 0, s));
            pids.add(pid);
        }
        return pids;
    }

    private static ProcessView pinned(ProcessView v, String node) {
        ProcessRecord r = v.record();
        return new ProcessView(new ProcessRecord(r.v(), r.pid(), r.spec().withNode(node), r.desired(), r.createdAt()),
                v.recordVersion(), v.status());
    }

    private static ProcessView labelled(ProcessView v, Map<String, String> labels) {
        ProcessRecord r = v.record();
        return new ProcessView(new ProcessRecord(r.v(), r.pid(), r.spec().withLabels(labels), r.desired(),
                r.createdAt()), v.recordVersion(), v.status());
    }

    private static NodeView node(String id, int slots, List<String> pids) {
        return new NodeView(info(id, slots, Map.of()), pids, null, null);
    }

    private static NodeInfo info(String id, int slots, Map<String, String> labels) {
        return new NodeInfo(NodeInfo.FORMAT, id, "h", slots, labels, "v", 0, "1", "/w", List.of(), null);
    }
}
