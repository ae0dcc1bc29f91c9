package io.ferry.cli.bench;

import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessSpec.Isolation;
import io.ferry.node.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Both isolations side by side on the same two-node cluster: launch to RUNNING one at a time (in jvm isolation
 * from a warm pool, refilled between launches), a 1 KB migration, and what an idle process costs its node in
 * resident memory (in jvm isolation its worker JVM's RSS, against the whole local cluster's JVM; in thread isolation
 * that JVM's growth per process). The baseline of each time is the thread isolation's figure, measured in the same
 * run.
 */
final class IsolationScenario implements Scenario {
    private static final int POOL = 2;
    private static final int IDLE_FOR_RSS = 8;

    @Override
    public String name() {
        return "isolation";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int runs = sizes.runsOr(sizes.migrateRuns());
        try (BenchCluster c = BenchCluster.start(2, 2 * IDLE_FOR_RSS, sizes.sessionTimeout(),
                Map.of(NodeConfig.WORKER_POOL, String.valueOf(POOL)))) {
            Stats floor = c.zkRoundTrip(sizes.zkRuns());
            Stats threadLaunch = launches(c, Isolation.THREAD, runs, POOL);
            Stats jvmLaunch = launches(c, Isolation.JVM, runs, POOL);
            Stats threadMove = migrations(c, Isolation.THREAD, runs, POOL);
            Stats jvmMove = migrations(c, Isolation.JVM, runs, POOL);
            double nodeRss = settledRssKb(ProcessHandle.current().pid()) / 1024.0;
            double threadRss = threadRssPerProcess(c);
            double jvmRss = jvmRssPerProcess(c);
            Stats cold;
            try (BenchCluster none = BenchCluster.start(2, 2, sizes.sessionTimeout(),
                    Map.of(NodeConfig.WORKER_POOL, "0"))) {
                cold = launches(none, Isolation.JVM, Math.min(runs, 10), 0);
            }
            return List.of(
                    BenchResult.of(name(), "launch to RUNNING, thread", threadLaunch, ZkScenario.FLOOR, floor),
                    BenchResult.of(name(), "launch to RUNNING, jvm (warm pool)", jvmLaunch, "thread",
                            threadLaunch).target("p50 under 150 ms", jvmLaunch.p50Ms() < 150),
                    BenchResult.of(name(), "launch to RUNNING, jvm (no pool: a JVM starts)", cold, "thread",
                            threadLaunch),
                    BenchResult.of(name(), "migrate 1 KB, thread", threadMove, ZkScenario.FLOOR, floor),
                    BenchResult.of(name(), "migrate 1 KB, jvm", jvmMove, "thread", threadMove)
                            .target("p50 within 2x of thread", jvmMove.p50Ms() <= 2 * threadMove.p50Ms()),
                    BenchResult.of(name(), "RSS per idle process, jvm", Stats.ofMillis(jvmRss), "local cluster JVM",
                            Stats.ofMillis(nodeRss)).unit("MB").with("thread_mb_per_process", threadRss));
        }
    }

    private static ProcessSpec idle(Isolation isolation) {
        return BenchCluster.idle(1_000).withIsolation(isolation, null);
    }

    private static Stats launches(BenchCluster c, Isolation isolation, int runs, int pool) throws Exception {
        List<Long> samples = new ArrayList<>(runs);
        for (int i = -Math.min(5, runs); i < runs; i++) { // the first few load classes: not measured
            awaitWarmPool(c, pool);
            long t = System.nanoTime();
            String pid = c.client.launch(idle(isolation));
            c.client.awaitRunning(pid, null, BenchCluster.WAIT);
            long took = System.nanoTime() - t;
            if (i >= 0) {
                samples.add(took);
            }
            c.client.terminate(pid);
            c.client.awaitState(pid, null, io.ferry.coordination.ProcessState.TERMINATED, BenchCluster.WAIT);
        }
        return Stats.ofNanos(samples);
    }

    private static Stats migrations(BenchCluster c, Isolation isolation, int runs, int pool) throws Exception {
        String pid = c.client.launch(idle(isolation));
        c.client.awaitRunning(pid, null, BenchCluster.WAIT);
        List<Long> samples = new ArrayList<>(runs);
        for (int i = -Math.min(5, runs); i < runs; i++) {
            awaitWarmPool(c, pool);
            long t = System.nanoTime();
            c.client.awaitMigrated(c.client.migrate(pid, null), BenchCluster.WAIT);
            if (i >= 0) {
                samples.add(System.nanoTime() - t);
            }
        }
        c.client.terminate(pid);
        return Stats.ofNanos(samples);
    }

    /** What the node JVM (this one) grows by, per idle process on a thread, after full collections. */
    private static double threadRssPerProcess(BenchCluster c) throws Exception {
        long before = settledRssKb(ProcessHandle.current().pid());
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < IDLE_FOR_RSS; i++) {
            pids.add(c.client.launch(idle(Isolation.THREAD)));
        }
        for (String pid : pids) {
            c.client.awaitRunning(pid, null, BenchCluster.WAIT);
        }
        long after = settledRssKb(ProcessHandle.current().pid());
        pids.forEach(c.client::terminate);
        return Math.max(0, after - before) / 1024.0 / IDLE_FOR_RSS;
    }

    /** The mean RSS of the worker JVMs of idle processes. */
    private static double jvmRssPerProcess(BenchCluster c) throws Exception {
        List<Long> before = workers();
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < IDLE_FOR_RSS; i++) {
            pids.add(c.client.launch(idle(Isolation.JVM)));
        }
        for (String pid : pids) {
            c.client.awaitRunning(pid, null, BenchCluster.WAIT);
        }
        awaitWarmPool(c, POOL);
        List<Long> running = workers();
        running.removeAll(before);
        double kb = 0;
        int n = 0;
        for (long jvm : running) {
            long rss = rssKb(jvm);
            if (rss > 0) {
                kb += rss;
                n++;
            }
        }
        pids.forEach(c.client::terminate);
        return n == 0 ? 0 : kb / 1024.0 / n;
    }

    /** The worker JVMs this JVM has started that are running now. */
    private static List<Long> workers() {
        return new ArrayList<>(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid).toList());
    }

    private static void awaitWarmPool(BenchCluster c, int pool) {
        long deadline = System.nanoTime() + BenchCluster.WAIT.toNanos();
        while (c.local.nodeIds().stream().anyMatch(id -> c.local.node(id).idleWorkers() < pool)
                && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000); // the pool refills on its own thread; nothing to watch
        }
    }

    private static long settledRssKb(long pid) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rssKb(pid);
    }

    /** VmRSS of a process, from /proc (Linux); 0 when it cannot be read. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux, or it has ended
        }
        return 0;
    }
}
