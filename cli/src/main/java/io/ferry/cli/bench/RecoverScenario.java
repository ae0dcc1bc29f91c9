package io.ferry.cli.bench;

import io.ferry.coordination.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A node holding many processes is killed (its processes dropped, then its session closed, which ends the
 * session at once): time until every one runs on the spare node started for it. The next repetition kills that
 * node in turn. Because the session ends at the close, no session timeout is waited for: the time measured is
 * the time beyond the session's end.
 *
 * <p>"supervised restart": a node JVM of its own holding the processes (pinned to it) is killed with SIGKILL, and
 * started again one second later as a supervisor would; its session stays alive at the server for the default
 * 15 s. Timed from the kill until every process runs again.
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
            return List.of(r.target("p50 under 300 ms beyond the session timeout", recovered.p50Ms() < 300),
                    supervisedRestart(sizes, floor));
        }
    }

    private static final Duration DEFAULT_SESSION = Duration.ofSeconds(15);
    /** What a supervisor waits before it restarts a daemon that died (systemd's RestartSec). */
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
    private static final String SUPERVISED = "supervised";

    private BenchResult supervisedRestart(Sizes sizes, Stats floor) throws Exception {
        int n = sizes.recoverProcesses();
        int runs = Math.min(5, sizes.runsOr(sizes.recoverRuns()));
        List<Long> samples = new ArrayList<>(runs);
        try (BenchCluster c = BenchCluster.start(1, 1, DEFAULT_SESSION)) {
            Path dir = Files.createTempDirectory("ferry-bench-supervised-");
            Path conf = Files.writeString(dir.resolve("ferry.properties"), "ferry.zk.sessionTimeout="
                    + DEFAULT_SESSION.toMillis() + "ms\nferry.node.checkpointEvery=0s\nferry.node.isolation=thread\n");
            Process node = startNode(c, dir, conf, n, 0);
            try {
                awaitRegistered(c, node);
                ProcessSpec pinned = BenchCluster.idle(0);
                pinned = new ProcessSpec(null, pinned.className(), pinned.args(), null, null, SUPERVISED, 0L);
                List<String> pids;
                try (BenchCluster.StatusWatch watch = c.watch(BenchCluster.running())) {
                    pids = c.client.launchAll(java.util.Collections.nCopies(n, pinned));
                    watch.awaitAll(pids, BenchCluster.WAIT);
                }
                for (int i = 1; i <= runs; i++) {
                    Map<String, Long> before = new HashMap<>();
                    for (String pid : pids) {
                        before.put(pid, c.client.describe(pid).status().generation());
                    }
                    try (BenchCluster.StatusWatch watch = c.watch(st -> BenchCluster.running().test(st)
                            && st.generation() > before.get(st.pid()))) {
                        long t = System.nanoTime();
                        node.destroyForcibly().waitFor(); // kill -9
                        LockSupport.parkNanos(RESTART_DELAY.toNanos()); // the supervisor's pause, not a wait
                        node = startNode(c, dir, conf, n, i);
                        watch.awaitAll(pids, BenchCluster.WAIT);
                        samples.add(System.nanoTime() - t);
                    }
                }
            } finally {
                node.destroyForcibly().waitFor();
            }
        }
        Stats restarted = Stats.ofNanos(samples);
        BenchResult r = BenchResult.of(name(), "supervised restart, " + n + " processes", restarted, ZkScenario.FLOOR,
                floor).with("processes", n).with("session_timeout_ms", DEFAULT_SESSION.toMillis())
                .with("restart_delay_ms", RESTART_DELAY.toMillis());
        return r.target("p50 under 3 s from kill -9 to all running again", restarted.p50Ms() < 3000);
    }

    /** Waits for the first start of the node JVM (later ones are timed by their processes running again). */
    private static void awaitRegistered(BenchCluster c, Process node) {
        long deadline = System.nanoTime() + BenchCluster.WAIT.toNanos();
        while (c.client.nodes().stream().noneMatch(v -> v.info().id().equals(SUPERVISED))) {
            if (!node.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("The supervised node did not register (exit " + (node.isAlive()
                        ? "none" : node.exitValue()) + ")");
            }
            LockSupport.parkNanos(20_000_000); // start-up only; nothing to watch before the node exists
        }
    }

    /** Starts a node JVM on this JVM's own classpath (which holds the bench's Idle process). */
    private static Process startNode(BenchCluster c, Path dir, Path conf, int slots, int run) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), "io.ferry.cli.Ferry", "node", "--zk",
                c.local.settings().connectString(), "--id", SUPERVISED, "--slots", String.valueOf(slots),
                "--workdir", dir.toString())
                .redirectOutput(dir.resolve("node-" + run + ".out").toFile())
                .redirectError(dir.resolve("node-" + run + ".err").toFile());
        pb.environment().put("FERRY_CONF", conf.toString());
        return pb.start();
    }
}
