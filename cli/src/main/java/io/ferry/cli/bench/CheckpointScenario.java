package io.ferry.cli.bench;

import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.examples.Churn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU-bound example ({@link Churn}) with its state, run to completion with a checkpoint every interval and
 * with none, alternately; and the latency of one checkpoint taken on demand from a running Churn.
 */
final class CheckpointScenario implements Scenario {
    private static final int CALIBRATION_STEPS = 30;

    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int runs = sizes.runsOr(sizes.checkpointRuns());
        int state = sizes.checkpointStateBytes();
        long every = sizes.checkpointEvery().toMillis();
        try (BenchCluster c = BenchCluster.start(1, 2, sizes.sessionTimeout())) {
            Stats floor = c.zkRoundTrip(sizes.zkRuns());
            Path dir = c.local.workdir();
            long steps = calibrate(state, dir.resolve("calibration.out"), sizes.checkpointRun().toMillis());
            List<Long> plain = new ArrayList<>();
            List<Long> checkpointed = new ArrayList<>();
            List<Long> snapshots = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                plain.add(runToEnd(c, state, steps, 0L, dir.resolve("plain-" + i + ".out"))[0]);
                long[] r = runToEnd(c, state, steps, every, dir.resolve("checkpointed-" + i + ".out"));
                checkpointed.add(r[0]);
                snapshots.add(r[1]);
            }
            Stats p = Stats.ofNanos(plain);
            Stats k = Stats.ofNanos(checkpointed);
            double lostPct = 100 * (1 - p.p50Ms() / k.p50Ms());
            double perSnapshot = (k.p50Ms() - p.p50Ms()) / Math.max(1, snapshots.get(0));
            BenchResult throughput = BenchResult.of(name(), "throughput, every " + every + " ms", k,
                    "no checkpoints", p)
                    .with("state_bytes", state).with("steps", steps)
                    .with("steps_per_s", steps / (k.p50Ms() / 1000))
                    .with("plain_steps_per_s", steps / (p.p50Ms() / 1000))
                    .with("lost_pct", lostPct)
                    .with("snapshots", snapshots.get(0))
                    .with("cost_per_snapshot_ms", perSnapshot);
            if (state >= 1_000_000 && every >= 1000) {
                throughput = throughput.target("under 5% throughput lost at 1 s with 1 MB", lostPct < 5);
            }
            Stats pause = onDemand(c, state, runs * 5, dir.resolve("on-demand.out"));
            BenchResult pauseLine = BenchResult.of(name(), "one checkpoint, on demand", pause, ZkScenario.FLOOR, floor)
                    .with("state_bytes", state);
            return List.of(throughput, pauseLine);
        }
    }

    /** Steps of Churn that take about {@code millis} here, timed on this thread. */
    private static long calibrate(int state, Path out, long millis) {
        Churn churn = new Churn(new String[] {String.valueOf(state), String.valueOf(CALIBRATION_STEPS), out.toString()});
        long t = System.nanoTime();
        churn.run();
        double perStep = (System.nanoTime() - t) / 1e6 / CALIBRATION_STEPS;
        return Math.max(CALIBRATION_STEPS, (long) (millis / perStep));
    }

    /** Runs Churn to completion on the cluster; returns the nanoseconds from launch and the snapshots taken. */
    private static long[] runToEnd(BenchCluster c, int state, long steps, long every, Path out) {
        ProcessSpec spec = new ProcessSpec(null, Churn.class.getName(),
                List.of(String.valueOf(state), String.valueOf(steps), out.toString()), null, null, null, every);
        long t = System.nanoTime();
        String pid = c.client.launch(spec);
        ProcessStatus s = c.client.awaitState(pid, null, ProcessState.COMPLETED, BenchCluster.WAIT);
        return new long[] {System.nanoTime() - t, s.snapshot() == null ? 0 : s.snapshot()};
    }

    /** Checkpoints a running Churn {@code n} times on demand, timing each from the call to its being stored. */
    private static Stats onDemand(BenchCluster c, int state, int n, Path out) {
        ProcessSpec spec = new ProcessSpec(null, Churn.class.getName(),
                List.of(String.valueOf(state), String.valueOf(Long.MAX_VALUE / 2), out.toString()), null, null, null,
                0L);
        String pid = c.client.launch(spec);
        c.client.awaitRunning(pid, null, BenchCluster.WAIT);
        List<Long> samples = new ArrayList<>(n);
        for (int i = 1; i <= n + 1; i++) {
            long t = System.nanoTime();
            Ticket ticket = c.client.checkpoint(pid);
            c.client.awaitCheckpoint(ticket, i, BenchCluster.WAIT);
            if (i > 1) { // the first is a warm-up
                samples.add(System.nanoTime() - t);
            }
        }
        c.client.terminate(pid);
        return Stats.ofNanos(samples);
    }
}
