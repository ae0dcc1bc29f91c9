package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.coordination.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper short commands hand themselves to: started by a command that worked, the same output, errors and exit
 * statuses as a command in its own JVM, the client's environment and directory, never a command run twice, and
 * gone when stopped, killed, rebuilt under or idle.
 */
class HelperIT extends AgainstLocalCluster {
    @TempDir
    Path cache;

    @BeforeEach
    void noHelperYet() {
        assertThat(helper("status").failureLine()).contains("No helper is running");
    }

    @AfterEach
    void stopHelper() {
        Cli.Result stop = helper("stop");
        assertThat(stop.exit()).isZero();
        await().atMost(Cli.TIMEOUT).until(() -> sockets().isEmpty()); // before @TempDir is deleted
    }

    @Test
    void aCommandThatWorkedStartsAHelperWhichAnswersAsTheCommandWouldInItsOwnJvm() throws IOException {
        String pid = local.launchTicker(1_000_000, "helped.txt");
        local.ferry("suspend", pid).ok(); // so that what the commands show stays as it is between them
        assertThat(ferry(Map.of(), "ps", "--zk", "127.0.0.1:1", "--connect-timeout", "1s").exit()).isOne();
        assertThat(sockets()).as("a command that failed starts no helper").isEmpty();

        ferry(Map.of(), "nodes").ok();
        long helperPid = awaitHelper();
        Path socket = sockets().get(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");

        long before = status().get("served").asLong();
        List<List<String>> lines = List.of(List.of("ps", "--json"), List.of("nodes", "--json"),
                List.of("describe", pid, "--json"), List.of("describe", "p-424242"), List.of("describe"),
                List.of("suspend", "banana"), List.of("ps", "--frobnicate"), List.of("logs", pid),
                List.of("ps", "--zk", "127.0.0.1:1", "--connect-timeout", "1s"));
        for (List<String> line : lines) {
            Cli.Result helped = ferry(Map.of(), line.toArray(String[]::new));
            Cli.Result own = ferry(Map.of("FERRY_HELPER", "0"), line.toArray(String[]::new));
            assertThat(helped).as("ferry %s through the helper, and in its own JVM", line).isEqualTo(own);
        }
        JsonNode s = status();
        assertThat(s.get("pid").asLong()).isEqualTo(helperPid);
        assertThat(s.get("served").asLong()).as("commands the helper ran").isEqualTo(before + lines.size() + 1);
        assertThat(s.get("sessions").get(0).get("connect").asText()).isEqualTo(local.zk());
    }

    @Test
    void theClientsEnvironmentAndDirectoryAreWhatTheCommandReads(@TempDir Path elsewhere) throws IOException {
        ferry(Map.of(), "nodes").ok();
        awaitHelper(); // its first: the status it asks
        String nowhere = "127.0.0.1:" + LocalFerry.freePort();

        Cli.Result viaEnv = run(null, Map.of("FERRY_ZK", nowhere, "FERRY_CONF", ""), "ps", "--connect-timeout", "1s");
        assertThat(viaEnv.failureLine()).startsWith("ferry: Cannot reach ZooKeeper at " + nowhere);

        Files.writeString(elsewhere.resolve("mine.properties"), "ferry.zk.connect=" + local.zk() + "\n");
        assertThat(run(elsewhere, Map.of("FERRY_CONF", "mine.properties"), "nodes").ok()).contains("node-1");

        // served: the two status commands of awaitHelper, ps and nodes
        assertThat(status().get("served").asLong()).isEqualTo(4);

        Map<String, String> tokyo = Map.of("TZ", "Asia/Tokyo"); // its JVM would differ: not this helper's
        assertThat(ferry(tokyo, "nodes").ok()).contains("node-1");
        assertThat(status().get("served").asLong()).isEqualTo(5);
        await().atMost(Cli.TIMEOUT).until(() -> run(null, tokyo, "helper", "status").exit() == 0);
        assertThat(sockets()).as("a helper for each time zone, locale and JVM options").hasSize(2);
        assertThat(run(null, tokyo, "helper", "stop").exit()).isZero();
    }

    @Test
    void aKilledHelperIsReplacedByTheNextCommandThatWorks() throws IOException {
        ferry(Map.of(), "nodes").ok();
        long first = awaitHelper();

        ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly); // kill -9: its socket is left
        await().atMost(Cli.TIMEOUT).until(() -> ProcessHandle.of(first).isEmpty());
        assertThat(sockets()).hasSize(1);

        assertThat(ferry(Map.of(), "nodes").ok()).contains("node-1");
        long second = awaitHelper();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aClientThatLeavesEndsItsCommandInTheHelper() throws Exception {
        ferry(Map.of(), "nodes").ok();
        awaitHelper();
        String pid = local.launchTicker(1_000_000, "followed.txt");
        List<String> args = List.of("logs", "--follow", pid, "--zk", local.zk());
        Process follower = env(Cli.builder(Cli.BIN, args), Map.of()).start();
        try {
            await().atMost(Cli.TIMEOUT).until(() -> status().get("running").asInt() == 1);
        } finally {
            follower.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // as Ctrl-C ends the client
        }
        await().atMost(Cli.TIMEOUT).until(() -> status().get("running").asInt() == 0);
    }

    @Test
    void aRebuiltInstallationIsServedByANewHelperNeverTheOldOne() throws IOException {
        ferry(Map.of(), "nodes").ok();
        long old = awaitHelper();
        Path jar;
        try (var jars = Files.list(Cli.BIN.getParent().getParent().resolve("cli/target/ferry/ferry/lib"))) {
            jar = jars.filter(j -> j.getFileName().toString().startsWith("ferry-coordination-")).findFirst()
                    .orElseThrow();
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try {
            Files.setLastModifiedTime(jar, FileTime.fromMillis(built.toMillis() + 60_000)); // as a rebuild would
            assertThat(ferry(Map.of(), "nodes").ok()).contains("node-1");
            await().atMost(Cli.TIMEOUT).until(() -> ProcessHandle.of(old).isEmpty());
        } finally {
            Files.setLastModifiedTime(jar, built);
        }
    }

    private long awaitHelper() {
        await().atMost(Cli.TIMEOUT).until(() -> helper("status").exit() == 0);
        return status().get("pid").asLong();
    }

    private JsonNode status() {
        String json = helper("status", "--json").ok();
        return Json.read("helper status", json.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    private Cli.Result helper(String... args) {
        List<String> all = new ArrayList<>(List.of("helper"));
        all.addAll(List.of(args));
        return run(null, Map.of(), all.toArray(String[]::new));
    }

    /** {@code ferry ARGS --zk <the cluster>} with this test's cache and {@code env}. */
    private Cli.Result ferry(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.equals("--zk"))) {
            all.add("--zk");
            all.add(local.zk());
        }
        return run(null, env, all.toArray(String[]::new));
    }

    private Cli.Result run(Path dir, Map<String, String> env, String... args) {
        ProcessBuilder pb = env(Cli.builder(Cli.BIN, List.of(args)), env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return Cli.run(pb, null, "ferry " + String.join(" ", args));
    }

    private ProcessBuilder env(ProcessBuilder pb, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("FERRY_CACHE", cache.toString());
        pb.environment().putAll(all);
        return pb;
    }

    private List<Path> sockets() throws IOException {
        Path dir = cache.resolve("helper");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".sock")).toList();
        }
    }
}
