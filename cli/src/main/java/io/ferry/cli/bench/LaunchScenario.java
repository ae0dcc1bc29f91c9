package io.ferry.cli.bench;

import io.ferry.coordination.ProcessSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Many idle processes over many nodes with {@code launchAll}: how fast ZooKeeper accepts them, and the time
 * until every one is RUNNING, as a cache on {@code /status} sees it.
 */
final class LaunchScenario implements Scenario {
    @Override
    public String name() {
        return "launch";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int n = sizes.launchProcesses();
        int nodes = sizes.launchNodes();
        int runs = sizes.runsOr(1);
        List<Long> allRunning = new ArrayList<>();
        List<Double> accepted = new ArrayList<>();
        List<Double> cpuPerLaunch = new ArrayList<>();
        Stats floor = null;
        for (int run = 0; run < runs; run++) {
            try (BenchCluster c = BenchCluster.start(nodes, (n + nodes - 1) / nodes, BenchCluster.LOADED_SESSION)) {
                if (floor == null) {
                    floor = c.zkRoundTrip(sizes.zkRuns());
                }
                long cpu = cpuNanos();
                Result r = launch(c, n);
                cpuPerLaunch.add((cpuNanos() - cpu) / 1e6 / n);
                allRunning.add(r.allRunningNanos());
                accepted.add(n / (r.acceptedNanos() / 1e9));
            }
        }
        Stats all = Stats.ofNanos(allRunning);
        double acceptedPerSec = Collections.min(accepted);
        double runningPerSec = n / (all.p50Ms() / 1000);
        BenchResult r = BenchResult.of(name(), n + " on " + nodes + " nodes", all, ZkScenario.FLOOR, floor)
                .with("processes", n).with("nodes", nodes)
                .with("accepted_per_s", acceptedPerSec)
                .with("running_per_s", runningPerSec)
                .with("cpu_ms_per_launch", Stats.ofMillis(cpuPerLaunch.stream().mapToDouble(d -> d).toArray()).p50Ms());
        boolean full = n >= 10_000;
        return List.of(full ? r.target("at least 1,000 launches/s; 10,000 RUNNING in under 15 s",
                acceptedPerSec >= 1000 && runningPerSec >= 1000 && all.p50Ms() < 15_000) : r);
    }

    /**
     * CPU time used by this JVM so far: ZooKeeper, the scheduler, every node and the client together, so that per
     * launch it says what a launch costs the machine, whatever else the machine is doing.
     */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Launch timings of one batch. */
    record Result(long acceptedNanos, long allRunningNanos, List<String> pids) {}

    /** Launches {@code n} idle processes and waits until all run. */
    static Result launch(BenchCluster c, int n) throws Exception {
        List<ProcessSpec> specs = Collections.nCopies(n, BenchCluster.idle(0));
        try (BenchCluster.StatusWatch watch = c.watch(BenchCluster.running())) {
            long t = System.nanoTime();
            List<String> pids = c.client.launchAll(specs);
            long accepted = System.nanoTime() - t;
            watch.awaitAll(pids, BenchCluster.WAIT);
            return new Result(accepted, System.nanoTime() - t, pids);
        }
    }
}
