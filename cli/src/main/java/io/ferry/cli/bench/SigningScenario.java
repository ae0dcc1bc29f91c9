package io.ferry.cli.bench;

import io.ferry.coordination.ProcessState;
import io.ferry.coordination.SnapshotKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What signing snapshots (HMAC-SHA256 with the cluster's key, verified before a restore) costs: a 1 KB migration
 * and an on-demand checkpoint of 1 MB, on a cluster with a snapshot key against one without, both running at once
 * and measured in turn so that they share the machine's drift. Baseline: the cluster without a key.
 */
final class SigningScenario implements Scenario {
    private static final int CHECKPOINT_BYTES = 1 << 20;

    @Override
    public String name() {
        return "signing";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int runs = sizes.runsOr(sizes.migrateRuns());
        Path keyDir = Files.createTempDirectory("ferry-bench-key");
        Path key = keyDir.resolve("snapshot.key");
        SnapshotKey.generate().write(key);
        try (BenchCluster open = BenchCluster.start(2, 2, sizes.sessionTimeout());
                BenchCluster keyed = BenchCluster.start(2, 2, sizes.sessionTimeout(),
                        Map.of(SnapshotKey.FILE, key.toString()))) {
            String openMove = running(open, 1_000);
            String keyedMove = running(keyed, 1_000);
            String openState = running(open, CHECKPOINT_BYTES);
            String keyedState = running(keyed, CHECKPOINT_BYTES);
            List<Long> moveOpen = new ArrayList<>();
            List<Long> moveKeyed = new ArrayList<>();
            List<Long> checkpointOpen = new ArrayList<>();
            List<Long> checkpointKeyed = new ArrayList<>();
            for (int i = -Math.min(5, runs); i < runs; i++) { // the first few load and compile: not measured
                boolean openFirst = (i & 1) == 0; // each goes first half the time: neither gains from the order
                long b = openFirst ? 0 : migrate(keyed, keyedMove);
                long a = migrate(open, openMove);
                b = openFirst ? migrate(keyed, keyedMove) : b;
                long d = openFirst ? 0 : checkpoint(keyed, keyedState);
                long c = checkpoint(open, openState);
                d = openFirst ? checkpoint(keyed, keyedState) : d;
                if (i >= 0) {
                    moveOpen.add(a);
                    moveKeyed.add(b);
                    checkpointOpen.add(c);
                    checkpointKeyed.add(d);
                }
            }
            Stats mo = Stats.ofNanos(moveOpen);
            Stats mk = Stats.ofNanos(moveKeyed);
            Stats co = Stats.ofNanos(checkpointOpen);
            Stats ck = Stats.ofNanos(checkpointKeyed);
            return List.of(
                    BenchResult.of(name(), "migrate 1 KB, signed", mk, "unsigned", mo)
                            .target("at most 10% slower", mk.p50Ms() <= 1.10 * mo.p50Ms()),
                    BenchResult.of(name(), "checkpoint 1 MB, signed", ck, "unsigned", co)
                            .target("at most 10% slower", ck.p50Ms() <= 1.10 * co.p50Ms())
                            .with("sign_and_verify_1mb_ms", signAndVerifyMs(CHECKPOINT_BYTES)));
        } finally {
            Files.deleteIfExists(key);
            Files.deleteIfExists(keyDir);
        }
    }

    /** The p50 of signing and verifying {@code bytes} once, on this thread: what a MAC adds to a snapshot's path. */
    private static double signAndVerifyMs(int bytes) {
        SnapshotKey key = SnapshotKey.generate();
        byte[] state = new byte[bytes];
        io.ferry.coordination.SnapshotMeta meta = new io.ferry.coordination.SnapshotMeta(
                io.ferry.coordination.SnapshotMeta.FORMAT, "p-1", 1, 1, "Idle", bytes, 3, 0, 0, "node-1");
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t = System.nanoTime();
            if (!key.verifies(meta.signedWith(key.sign(meta, state)), state)) {
                throw new IllegalStateException("a MAC that does not verify");
            }
            samples.add(System.nanoTime() - t);
        }
        return Stats.ofNanos(samples.subList(100, 200)).p50Ms();
    }

    private static String running(BenchCluster c, int stateBytes) {
        String pid = c.client.launch(BenchCluster.idle(stateBytes));
        c.client.awaitRunning(pid, null, BenchCluster.WAIT);
        return pid;
    }

    private static long migrate(BenchCluster c, String pid) {
        long t = System.nanoTime();
        c.client.awaitMigrated(c.client.migrate(pid, null), BenchCluster.WAIT);
        return System.nanoTime() - t;
    }

    private static long checkpoint(BenchCluster c, String pid) {
        long wanted = c.client.describe(pid).status().checkpoints() + 1;
        long t = System.nanoTime();
        c.client.awaitCheckpoint(c.client.checkpoint(pid), wanted, BenchCluster.WAIT);
        long took = System.nanoTime() - t;
        if (c.client.describe(pid).state() != ProcessState.RUNNING) {
            throw new IllegalStateException(pid + " stopped during the checkpoint benchmark");
        }
        return took;
    }
}
