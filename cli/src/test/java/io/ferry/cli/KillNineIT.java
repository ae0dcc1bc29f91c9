package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.coordination.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster of separate JVMs started with {@code bin/ferry}: a ZooKeeper server, schedulers and two nodes.
 * {@code kill -9} the node running a process, then the leader scheduler: the standby notices the dead node and the
 * process completes on the other node with the bytes of an uninterrupted run. {@code kill -STOP} a node past its
 * session timeout, then {@code kill -CONT}: its process has moved on meanwhile, and the node that thaws lets go.
 */
class KillNineIT {
    @TempDir
    Path dir;
    private final Map<String, Process> daemons = new LinkedHashMap<>();
    private String zk;

    /** Set by JUnit's watcher below: a failed test prints what its daemons logged, before the directory goes. */
    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.AfterTestExecutionCallback dumpOnFailure = context -> {
        if (context.getExecutionException().isPresent()) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".err"))
                        .sorted().toList()) {
                    List<String> lines = Files.readAllLines(f);
                    System.out.println("---- " + f.getFileName() + " (last 80 of " + lines.size() + " lines)");
                    lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.out::println);
                }
            }
        }
    };

    @AfterEach
    void stopAll() throws InterruptedException {
        List<Process> all = new ArrayList<>(daemons.values());
        java.util.Collections.reverse(all);
        for (Process p : all) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void processSurvivesKillNineOfItsNodeAndThenOfTheLeader() throws Exception {
        Path work = startCluster();
        start("s1", "scheduler", "--zk", zk, "--id", "s1");
        start("s2", "scheduler", "--zk", zk, "--id", "s2");
        start("node-1", "node", "--zk", zk, "--id", "node-1", "--workdir", work.toString());
        start("node-2", "node", "--zk", zk, "--id", "node-2", "--workdir", work.toString());

        String pid = ferry("launch", "--node", "node-1", "--classpath", Cli.TEST_CLASSES, "--wait",
                Ticker.class.getName(), "6000", "out.txt", "1", "out.go").ok().strip();
        await().atMost(Cli.TIMEOUT).until(() -> describe(pid).at("/status/snapshot").asLong() >= 2);

        ProcessHandle copy = copyJvm(work, "node-1");
        daemons.get("node-1").destroyForcibly().waitFor(); // kill -9
        String leader = Json.mapper().readTree(epochHolder()).get("leader").asText();
        daemons.get(leader).destroyForcibly().waitFor();    // kill -9 the leader before it has reacted
        await().atMost(Cli.TIMEOUT).until(() -> !copy.isAlive()); // no worker outlives its node

        await().atMost(Cli.TIMEOUT).until(() -> describe(pid).at("/status/node").asText().equals("node-2")
                && describe(pid).at("/status/state").asText().equals("RUNNING"));
        Files.writeString(work.resolve("out.go"), "go");
        assertThat(ferry("wait", pid, "--timeout", "60s").ok()).startsWith(pid + " is COMPLETED on node-2");

        JsonNode status = describe(pid).get("status");
        assertThat(status.get("generation").asInt()).isGreaterThanOrEqualTo(2);
        List<String> states = new ArrayList<>();
        status.get("history").forEach(t -> states.add(t.get("state").asText()));
        assertThat(states).contains("LOST");
        assertThat(Files.readString(work.resolve("out.txt"))).isEqualTo(Ticker.expected(6000));
    }

    /**
     * A node frozen past its session timeout (a long GC pause, a stopped VM) is taken for dead, and its process is
     * recovered elsewhere. When it thaws, its copy may run for the moment its ZooKeeper client takes to learn that
     * the session is gone (GUARANTEES.md, section 1): it is fenced from writing, lets go, registers again, and the
     * output is still that of one uninterrupted run.
     */
    @Test
    void nodeFrozenPastItsSessionLetsGoWhenItThaws() throws Exception {
        Path work = startCluster();
        start("s1", "scheduler", "--zk", zk, "--id", "s1");
        start("node-1", "node", "--zk", zk, "--id", "node-1", "--workdir", work.toString());
        start("node-2", "node", "--zk", zk, "--id", "node-2", "--workdir", work.toString());

        String pid = ferry("launch", "--node", "node-1", "--classpath", Cli.TEST_CLASSES, "--wait",
                Ticker.class.getName(), "20000", "out.txt", "1", "out.go").ok().strip();
        await().atMost(Cli.TIMEOUT).until(() -> describe(pid).at("/status/snapshot").asLong() >= 2);

        ProcessHandle copy = copyJvm(work, "node-1");
        long frozenAt = System.currentTimeMillis();
        signal("node-1", "STOP");
        await().atMost(Cli.TIMEOUT).until(() -> describe(pid).at("/status/node").asText().equals("node-2")
                && describe(pid).at("/status/state").asText().equals("RUNNING"));
        // the frozen node's copy ended on its own, its lease unrenewed, before the new copy was placed
        assertThat(ended(copy)).as("the frozen node's copy").isTrue();
        signal("node-1", "CONT");

        // registered again, with a new session; the launch pinned the process there, so it may move back
        await().atMost(Cli.TIMEOUT).until(() -> node("node-1").map(n -> n.get("startedAt").asLong() > frozenAt)
                .orElse(false));
        Files.writeString(work.resolve("out.go"), "go");
        assertThat(ferry("wait", pid, "--timeout", "60s").ok()).startsWith(pid + " is COMPLETED on node-");
        List<String> states = new ArrayList<>();
        describe(pid).at("/status/history").forEach(t -> states.add(t.get("state").asText()));
        assertThat(states).contains("LOST");
        assertThat(Files.readString(work.resolve("out.txt"))).isEqualTo(Ticker.expected(20000));
    }

    /**
     * A node killed with {@code kill -9} and started again at once, as a supervisor (systemd's
     * {@code Restart=on-failure}) would, finds its old registration still held by a session that ZooKeeper keeps for
     * 30 s. Its old process is provably gone, so it takes over at once, and its processes run again without waiting
     * for that session to end; output byte for byte.
     */
    @Test
    void aNodeRestartedRightAfterKillNineTakesOverAtOnceAndItsProcessesRunAgain() throws Exception {
        Path work = startCluster("30s");
        start("s1", "scheduler", "--zk", zk, "--id", "s1");
        start("node-1", "node", "--zk", zk, "--id", "node-1", "--workdir", work.toString());
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pids.add(ferry("launch", "--classpath", Cli.TEST_CLASSES, "--wait", Ticker.class.getName(), "30000",
                    "out-" + i + ".txt", "1", "out.go").ok().strip()); // paced for 30 s unless released
        }
        for (String pid : pids) {
            await().atMost(Cli.TIMEOUT).until(() -> describe(pid).at("/status/snapshot").asLong() >= 2);
        }

        daemons.remove("node-1").destroyForcibly().waitFor(); // kill -9
        long restarted = System.currentTimeMillis();
        start("node-1-again", "node", "--zk", zk, "--id", "node-1", "--workdir", work.toString());

        // well within the 30 s the old session would otherwise hold the id and the processes (a node JVM starts,
        // restores three processes, and each look is a JVM of its own: slow on two busy cores)
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            for (String pid : pids) {
                JsonNode status = describe(pid).get("status");
                if (!status.get("state").asText().equals("RUNNING") || status.get("generation").asInt() < 2) {
                    return false;
                }
            }
            return true;
        });
        assertThat(node("node-1").orElseThrow().get("startedAt").asLong()).isGreaterThan(restarted);
        assertThat(Files.readString(dir.resolve("node-1-again.err"))).contains("took over the registration");
        Files.writeString(work.resolve("out.go"), "go");
        for (int i = 0; i < pids.size(); i++) {
            assertThat(ferry("wait", pids.get(i), "--timeout", "60s").ok()).contains("COMPLETED");
            assertThat(Files.readString(work.resolve("out-" + i + ".txt"))).isEqualTo(Ticker.expected(30000));
        }
    }

    /** A second node started with the id of a live one on the same host waits out a session, then is refused. */
    @Test
    void aSecondLiveNodeWithTheSameIdIsRefusedNamingTheOtherOnesProcess() throws Exception {
        Path work = startCluster("4s");
        start("node-1", "node", "--zk", zk, "--id", "node-1", "--workdir", work.toString());

        ProcessBuilder pb = Cli.builder(Cli.BIN, List.of("node", "--zk", zk, "--id", "node-1", "--workdir",
                work.toString())).redirectOutput(dir.resolve("second.out").toFile())
                .redirectError(dir.resolve("second.err").toFile());
        pb.environment().put("FERRY_CONF", dir.resolve("ferry.properties").toString());
        Process second = pb.start();

        assertThat(second.waitFor(Cli.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isNotZero();
        List<String> errors = Files.readAllLines(dir.resolve("second.err")).stream()
                .filter(l -> l.startsWith("ferry: ")).toList();
        assertThat(errors).singleElement().asString().contains("Node id node-1 is taken by a live node: pid "
                + daemons.get("node-1").pid() + " on ").contains("another --id");
    }

    /** Writes the settings and starts ZooKeeper; returns the working directory the nodes share. */
    private Path startCluster() throws IOException {
        return startCluster("4s");
    }

    private Path startCluster(String sessionTimeout) throws IOException {
        Path work = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(dir.resolve("ferry.properties"), String.join("\n",
                "ferry.zk.sessionTimeout=" + sessionTimeout, "ferry.node.checkpointEvery=200ms",
                "ferry.scheduler.resync=2s", "ferry.node.resync=2s", ""));
        int port = LocalFerry.freePort();
        zk = "127.0.0.1:" + port;
        start("zk", "zk", "--port", String.valueOf(port), "--dir", dir.resolve("zk-data").toString());
        return work;
    }

    /** Sends {@code kill -SIGNAL} to a daemon's JVM ({@code bin/ferry} execs java, so it is that very process). */
    /** The worker JVM the Ticker writing {@code out.txt} runs in, a child of {@code node} (jvm isolation). */
    private ProcessHandle copyJvm(Path work, String node) throws Exception {
        long jvm = Long.parseLong(Files.readString(work.resolve("out.txt.jvm")).trim());
        ProcessHandle copy = ProcessHandle.of(jvm).orElseThrow();
        assertThat(copy.parent().map(ProcessHandle::pid)).as("its parent").contains(daemons.get(node).pid());
        return copy;
    }

    /** Whether a process has ended: gone, or a zombie its parent (a stopped node) has not reaped yet. */
    private static boolean ended(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException gone) {
            return true;
        }
    }

    private void signal(String name, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(daemons.get(name).pid())).start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, name).isZero();
    }

    /** The node as {@code ferry nodes --json} shows it, if it is registered. */
    private java.util.Optional<JsonNode> node(String id) throws IOException {
        for (JsonNode n : Json.mapper().readTree(ferry("nodes", "--json").ok())) {
            if (n.get("id").asText().equals(id)) {
                return java.util.Optional.of(n);
            }
        }
        return java.util.Optional.empty();
    }

    /** Starts {@code bin/ferry ARGS} in the background and waits until it says it is ready. */
    private void start(String name, String... args) throws IOException {
        Path out = dir.resolve(name + ".out");
        ProcessBuilder pb = Cli.builder(Cli.BIN, List.of(args)).redirectOutput(out.toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        pb.environment().put("FERRY_CONF", dir.resolve("ferry.properties").toString());
        Process p = pb.start();
        daemons.put(name, p);
        await().atMost(Cli.TIMEOUT).until(() -> Files.readString(out).contains("ready") || !p.isAlive());
        assertThat(p.isAlive()).as("%s: %s", name, Files.readString(dir.resolve(name + ".err"))).isTrue();
    }

    private Cli.Result ferry(String... args) {
        List<String> all = new ArrayList<>(List.of(args[0], "--zk", zk));
        all.addAll(List.of(args).subList(1, args.length));
        return Cli.exec(Cli.BIN, null, all);
    }

    private JsonNode describe(String pid) throws IOException {
        return Json.mapper().readTree(ferry("describe", pid, "--json").ok());
    }

    /** The content of /ferry/scheduler/epoch, read with ZooKeeper's own shell. */
    private String epochHolder() {
        String out = Cli.exec(Cli.ZKCLI, null, List.of("--zk", zk, "get", "/ferry/scheduler/epoch")).ok();
        return out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(
                () -> new AssertionError("no epoch in: " + out));
    }
}
