package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets one clear line on standard error and a non-zero exit status. */
class BadInputIT extends AgainstLocalCluster {
    @Test
    void unknownVerb() {
        Cli.Result r = Cli.run("frobnicate");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.failureLine()).isEqualTo("ferry: unknown command 'frobnicate' (see 'ferry --help')");
    }

    @Test
    void noVerbListsTheVerbsAndHelpAndVersionAnswer() {
        Cli.Result none = Cli.run();
        assertThat(none.exit()).as(none.err()).isEqualTo(2);
        assertThat(none.err()).contains("Commands:", "launch", "ps", "nodes").doesNotContain("Exception");

        assertThat(Cli.run("--help").ok()).contains("Commands:", "launch", "ps");
        assertThat(Cli.run("--version").ok()).startsWith("ferry ");
    }

    @Test
    void theClassDataArchiveComesOnlyFromACommandThatWorkedAgainstACluster(
            @TempDir Path cache) throws IOException {
        // no helper: it would take the commands after the first, and share its options (the class-load log here)
        Map<String, String> env = Map.of("FERRY_CACHE", cache.toString(), "FERRY_HELPER", "0");
        Cli.Result typo = Cli.exec(Cli.BIN, null, List.of("ps", "--frobnicate"), env);
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(archives(cache)).as("a command that failed as it began loaded too little to keep").isEmpty();
        Cli.Result help = Cli.exec(Cli.BIN, null, List.of("ps", "--help", "--zk", "127.0.0.1:1"), env);
        assertThat(help.ok()).contains("Usage: ferry ps");
        assertThat(archives(cache)).as("nor did one that worked without reaching a cluster").isEmpty();

        Cli.exec(Cli.BIN, null, List.of("nodes", "--zk", local.zk()), env).ok();
        assertThat(archives(cache)).hasSize(1);

        Path loaded = cache.resolve("loaded.txt");
        Map<String, String> logging = Map.of("FERRY_CACHE", cache.toString(), "FERRY_HELPER", "0", "FERRY_JAVA_OPTS",
                "-Xlog:class+load=info:file=" + loaded);
        Cli.exec(Cli.BIN, null, List.of("ps", "--all", "--zk", local.zk()), logging).ok();
        assertThat(Files.readAllLines(loaded)).as("ps, run after nodes made the archive")
                .anyMatch(l -> l.contains("io.ferry.cli.PsCommand source: shared objects file"))
                .anyMatch(l -> l.contains("org.apache.zookeeper.ClientCnxn source: shared objects file"))
                .noneMatch(l -> l.contains("source: file:") && l.contains("curator"));
    }

    private static List<Path> archives(Path cache) throws IOException {
        try (var files = Files.list(cache)) {
            return files.filter(f -> f.toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void unknownFlag() {
        Cli.Result r = Cli.run("ps", "--frobnicate");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.failureLine()).contains("--frobnicate", "ferry ps --help");
    }

    @Test
    void missingArgument() {
        Cli.Result r = Cli.run("suspend");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.failureLine()).contains("Missing required parameter", "PID");
    }

    @Test
    void malformedDuration() {
        Cli.Result r = Cli.run("wait", "p-1", "--timeout", "soon");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.failureLine()).contains("Not a duration: 'soon'", "15s");
    }

    @Test
    void malformedRestartPolicy() {
        Cli.Result r = Cli.run("launch", "--restart", "on-failure:1000", "GrepProcess", "a", "in", "out");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.failureLine()).isEqualTo("ferry: Invalid value for option '--restart': on-failure takes 1 to 100"
                + " restarts, got 1000 (see 'ferry launch --help')");
        assertThat(Cli.run("launch", "--restart", "sometimes", "GrepProcess").failureLine()).contains("Restart policy"
                + " 'sometimes' is not never, on-failure or on-failure:N (N from 1 to 100)");
    }

    @Test
    void unreachableZooKeeperIsReportedWithinTheConnectionTimeout() {
        String nowhere = "127.0.0.1:" + LocalFerry.freePort();
        long start = System.nanoTime();

        Cli.Result r = Cli.run("ps", "--zk", nowhere, "--connect-timeout", "1s");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.failureLine()).isEqualTo("ferry: Cannot reach ZooKeeper at " + nowhere
                + " within 1.0s (is it running? set --zk or FERRY_ZK)");
    }

    @Test
    void unknownPid() {
        assertThat(local.ferry("suspend", "p-424242").failureLine())
                .isEqualTo("ferry: No such process: p-424242 (see 'ferry ps --all')");
        assertThat(local.ferry("describe", "p-424242").failureLine()).contains("No such process: p-424242");
        assertThat(local.ferry("terminate", "banana").failureLine()).contains("Not a pid: 'banana'");
    }

    @Test
    void unknownNode() {
        assertThat(local.ferry("launch", "--classpath", Cli.TEST_CLASSES, "--node", "node-9",
                Ticker.class.getName(), "1", "x.txt").failureLine())
                .isEqualTo("ferry: No live node named node-9 (see 'ferry nodes')");
        String pid = local.launchTicker(1_000_000, "unknown-node.txt", "10");
        assertThat(local.ferry("migrate", pid, "--to", "node-9").failureLine()).contains("No live node named node-9");
        local.ferry("terminate", pid).ok();
    }

    @Test
    void classpathOutsideTheRootsTheClientKnowsIsRefusedBeforeAnythingIsWritten(@TempDir Path dir)
            throws Exception {
        Path conf = Files.writeString(dir.resolve("ferry.properties"),
                "ferry.node.classpathRoots=" + dir.resolve("lib") + "\n");
        Cli.Result r = Cli.runWithConf(conf, "launch", "--zk", local.zk(), "--classpath", "/opt/elsewhere",
                "GrepProcess", "a", "in.txt", "out.txt");
        assertThat(r.failureLine()).isEqualTo("ferry: Classpath entry /opt/elsewhere is outside"
                + " ferry.node.classpathRoots [" + dir.resolve("lib") + "], so nodes would refuse it; put it under one"
                + " of them, or in the nodes' work directory with a relative path");
        assertThat(local.ferry("ps", "--all").ok()).doesNotContain("/opt/elsewhere", "GrepProcess a");
    }

    @Test
    void classThatIsNotAMigratableProcess() {
        assertThat(local.ferry("launch", "java.lang.String").failureLine())
                .isEqualTo("ferry: java.lang.String is not a MigratableProcess (implement"
                        + " io.ferry.api.MigratableProcess)");
        assertThat(local.ferry("launch", "--classpath", Cli.TEST_CLASSES, NotAProcess.class.getName())
                .failureLine()).contains(NotAProcess.class.getName() + " is not a MigratableProcess");
        assertThat(local.ferry("launch", "com.example.Missing").failureLine())
                .contains("Unknown class com.example.Missing");
        assertThat(local.ferry("ps", "--all").ok()).doesNotContain(NotAProcess.class.getName(), "java.lang.String");
    }

    @Test
    void processThatFailsToStartIsReportedByLaunchWait() {
        // Ticker needs two arguments: its constructor throws on the node, which reports the failure.
        Cli.Result r = local.ferry("launch", "--classpath", Cli.TEST_CLASSES, "--wait", Ticker.class.getName());

        assertThat(r.out()).matches("p-[0-9]+\n");
        assertThat(r.failureLine()).contains("is FAILED", "usage: Ticker");
    }
}
