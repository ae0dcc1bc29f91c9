package io.ferry.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A node holding many processes is killed (its processes dropped, then its session closed, which ends the
 * session at once): time until every one runs on the spare node started for it. The next repetition kills that
 * node in turn. Because the session ends at the close, no session timeout is waited for: the time measured is
 * the time beyond the session's end.
 */
final class RecoverScenario implements Scenario {
    @Override
    public String name() {
        return "recover";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int n = sizes.recoverProcesses();
        int runs = sizes.runsOr(sizes.recoverRuns());
        List<Long> samples = new ArrayList<>(runs);
        try (BenchCluster c = BenchCluster.start(1, n, sizes.sessionTimeout())) {
            Stats floor = c.zkRoundTrip(sizes.zkRuns());
            String holder = c.local.nodeIds().get(0);
            List<String> pids = LaunchScenario.launch(c, n).pids();
            for (int i = 1; i <= runs; i++) {
                String spare = "spare-" + i;
                c.local.addNode(spare, n);
                try (BenchCluster.StatusWatch watch = c.watch(s -> BenchCluster.running().test(s)
                        && spare.equals(s.node()))) {
                    long t = System.nanoTime();
                    c.local.kill(holder);
                    watch.awaitAll(pids, BenchCluster.WAIT);
                    samples.add(System.nanoTime() - t);
                }
                holder = spare;
            }
            Stats recovered = Stats.ofNanos(samples);
            BenchResult r = BenchResult.of(name(), n + " processes", recovered, ZkScenario.FLOOR, floor)
                    .with("processes", n)
                    .with("session_timeout_ms", sizes.sessionTimeout().toMillis());
            return List.of(r.target("p50 under 300 ms beyond the session timeout", recovered.p50Ms() < 300));
        }
    }
}
