package io.ferry.cli.bench;

import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A cluster's long life: many tiny processes launched and completed in batches, under retention; then many live
 * (pending) ones. Reports what ZooKeeper holds afterwards (bounded by retention), how long listing everything
 * takes ({@code ferry ps --all} reads it all), and how long a scheduler failover takes with that many live.
 */
final class HistoryScenario implements Scenario {
    private static final int BATCH = 2_000;
    private static final int LIST_RUNS = 5;

    @Override
    public String name() {
        return "history";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int n = sizes.historyProcesses();
        int kept = sizes.historyKept();
        int live = sizes.historyLive();
        try (BenchCluster c = BenchCluster.start(4, 100, BenchCluster.LOADED_SESSION,
                Map.of("ferry.retention.maxFinished", String.valueOf(kept), "ferry.scheduler.resync", "2s"))) {
            Stats floor = c.zkRoundTrip(sizes.zkRuns());
            long started = System.nanoTime();
            ProcessSpec blink = new ProcessSpec(null, Blink.class.getName(), List.of(), null, null, null, 0L);
            for (int done = 0; done < n; done += BATCH) {
                try (BenchCluster.StatusWatch completed = c.watch(s -> s.state() == ProcessState.COMPLETED)) {
                    completed.awaitAll(c.client.launchAll(Collections.nCopies(Math.min(BATCH, n - done), blink)),
                            BenchCluster.WAIT);
                }
            }
            double historySeconds = (System.nanoTime() - started) / 1e9;
            int remaining = awaitAtMost(c, kept);
            long znodes = c.curator.getZookeeperClient().getZooKeeper()
                    .getAllChildrenNumber("/" + c.local.settings().namespace());
            Stats listHistory = timeList(c);

            ProcessSpec pending = new ProcessSpec(null, Idle.class.getName(), List.of(), null,
                    Map.of("pool", "none-has-it"), null, 0L);
            try (BenchCluster.StatusWatch waiting = c.watch(s -> s.state() == ProcessState.PENDING)) {
                List<String> pids = new ArrayList<>(live);
                for (int done = 0; done < live; done += BATCH) {
                    pids.addAll(c.client.launchAll(Collections.nCopies(Math.min(BATCH, live - done), pending)));
                }
                waiting.awaitAll(pids, BenchCluster.WAIT);
            }
            Stats listLive = timeList(c);
            long loading = System.nanoTime();
            io.ferry.scheduler.Scheduler standby = c.local.addScheduler("standby");
            FailoverScenario.awaitCandidates(c, 2);
            long deadline = System.nanoTime() + BenchCluster.WAIT.toNanos();
            while (!standby.isLoaded() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(50_000_000); // its caches load on Curator's threads; nothing to watch
            }
            Stats load = Stats.ofNanos(List.of(System.nanoTime() - loading));
            long t = System.nanoTime();
            c.local.killLeader();
            String pid = c.client.launch(BenchCluster.idle(0));
            c.client.awaitRunning(pid, null, BenchCluster.WAIT);
            Stats failover = Stats.ofNanos(List.of(System.nanoTime() - t));

            return List.of(
                    BenchResult.of(name(), "ps --all after " + n + " completed", listHistory, ZkScenario.FLOOR, floor)
                            .with("processes_completed", n).with("kept", remaining).with("retention_max", kept)
                            .with("znodes", znodes).with("history_s", historySeconds)
                            .target("finished processes kept within ferry.retention.maxFinished", remaining <= kept),
                    BenchResult.of(name(), "ps --all with " + live + " live", listLive, ZkScenario.FLOOR, floor)
                            .with("live", live),
                    BenchResult.of(name(), "standby loads its view, " + live + " live", load, ZkScenario.FLOOR,
                            floor).with("live", live),
                    BenchResult.of(name(), "failover with " + live + " live", failover, ZkScenario.FLOOR, floor)
                            .with("live", live));
        }
    }

    /** Waits for retention to bring the records down to {@code kept} finished ones; returns how many remain. */
    private static int awaitAtMost(BenchCluster c, int kept) throws Exception {
        long deadline = System.nanoTime() + BenchCluster.WAIT.toNanos();
        int now;
        while ((now = new ProcessTable(c.curator).pids().size()) > kept
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000_000); // the leader removes them at its next resync; nothing to watch
        }
        return now;
    }

    /** What 'ferry ps --all' costs: every record and status read. */
    private static Stats timeList(BenchCluster c) {
        List<Long> samples = new ArrayList<>(LIST_RUNS);
        for (int i = 0; i < LIST_RUNS; i++) {
            long t = System.nanoTime();
            c.client.list();
            samples.add(System.nanoTime() - t);
        }
        return Stats.ofNanos(samples);
    }
}
