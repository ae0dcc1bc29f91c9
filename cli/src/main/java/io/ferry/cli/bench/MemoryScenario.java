package io.ferry.cli.bench;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Heap retained by a node agent at rest, and by a scheduler holding many processes: the growth of the heap used
 * after a full collection when one is started (the scheduler taking over a cluster already running them). Both
 * are compared with their target as the floor.
 */
final class MemoryScenario implements Scenario {
    private static final double NODE_BUDGET_MB = 64;
    private static final double SCHEDULER_BUDGET_MB = 256;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int n = sizes.memoryProcesses();
        int nodes = sizes.memoryNodes();
        try (BenchCluster c = BenchCluster.start(nodes, (n + nodes - 1) / nodes + 1, BenchCluster.LOADED_SESSION)) {
            LaunchScenario.launch(c, n);
            double before = usedMb();
            c.local.addNode("at-rest", 4);
            double node = usedMb() - before;

            c.local.killLeader();
            before = usedMb();
            c.local.addScheduler("scheduler-2");
            // Placing one more process proves the new leader has loaded the cluster and acts.
            String pid = c.client.launch(BenchCluster.idle(0));
            c.client.awaitRunning(pid, null, BenchCluster.WAIT);
            double scheduler = usedMb() - before;

            BenchResult nodeLine = result("node at rest", node, "budget " + (int) NODE_BUDGET_MB + " MB",
                    NODE_BUDGET_MB).target("node agent under 64 MB of heap at rest", node < NODE_BUDGET_MB);
            BenchResult schedulerLine = result("scheduler, " + (n + 1) + " processes", scheduler,
                    "budget " + (int) SCHEDULER_BUDGET_MB + " MB", SCHEDULER_BUDGET_MB)
                    .with("processes", n + 1)
                    .with("kb_per_process", scheduler * 1024 / (n + 1));
            schedulerLine = n >= 10_000 ? schedulerLine.target("scheduler under 256 MB with 10,000 processes",
                    scheduler < SCHEDULER_BUDGET_MB) : schedulerLine;
            return List.of(nodeLine, schedulerLine);
        }
    }

    private BenchResult result(String what, double mb, String floor, double budget) {
        // A growth below what a full collection can resolve may come out negative; it is reported as 1 KB.
        Stats one = Stats.ofMillis(Math.max(mb, 1.0 / 1024));
        return BenchResult.of(name(), what, one, floor, Stats.ofMillis(budget)).unit("MB");
    }

    /** Heap in use after full collections, in MB. */
    static double usedMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
