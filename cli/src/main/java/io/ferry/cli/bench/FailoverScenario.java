package io.ferry.cli.bench;

import io.ferry.coordination.ZPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The leading scheduler's session ends (its client is closed); a launch is made while no one leads; time from
 * the close until the standby has placed it and it runs. A new standby joins before each repetition.
 */
final class FailoverScenario implements Scenario {
    @Override
    public String name() {
        return "failover";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int runs = sizes.runsOr(sizes.failoverRuns());
        List<Long> samples = new ArrayList<>(runs);
        try (BenchCluster c = BenchCluster.start(1, runs + 2, sizes.sessionTimeout())) {
            Stats floor = c.zkRoundTrip(sizes.zkRuns());
            for (int i = 1; i <= runs; i++) {
                c.local.addScheduler("standby-" + i);
                awaitCandidates(c, 2);
                long t = System.nanoTime();
                c.local.killLeader();
                String pid = c.client.launch(BenchCluster.idle(0));
                c.client.awaitRunning(pid, null, BenchCluster.WAIT);
                samples.add(System.nanoTime() - t);
            }
            Stats took = Stats.ofNanos(samples);
            BenchResult r = BenchResult.of(name(), "pending launch", took, ZkScenario.FLOOR, floor);
            return List.of(r.target("standby acting within 1 s of the leader's session ending", took.p50Ms() < 1000));
        }
    }

    /** Waits, by watch, until {@code n} schedulers take part in the election. */
    static void awaitCandidates(BenchCluster c, int n) throws Exception {
        long deadline = System.nanoTime() + BenchCluster.WAIT.toNanos();
        while (true) {
            CountDownLatch changed = new CountDownLatch(1);
            int now = c.curator.getChildren().usingWatcher((org.apache.zookeeper.Watcher) e -> changed.countDown())
                    .forPath(ZPaths.LEADER).size();
            if (now >= n) {
                return;
            }
            if (!changed.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("Only " + now + " of " + n + " schedulers joined the election");
            }
        }
    }
}
