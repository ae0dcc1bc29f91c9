package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.coordination.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client verbs, run as separate {@code bin/ferry} processes against {@code ferry local}. */
class ClientVerbsIT extends AgainstLocalCluster {
    @Test
    void launchPrintsThePidAloneAndTheProcessWritesItsFile() throws IOException {
        String pid = local.launchTicker(200, "short.txt", "1");

        assertThat(local.ferry("wait", pid, "--timeout", "60s").ok()).contains(pid + " is COMPLETED");
        assertThat(local.file("short.txt")).isEqualTo(Ticker.expected(200));
    }

    @Test
    void migratedSuspendedAndResumedProcessWritesTheSameBytesAsAnUninterruptedRun() throws IOException {
        String pid = local.launchTicker(20_000, "moved.txt", "10", "moved.go");

        String migrated = local.ferry("migrate", pid).ok();
        assertThat(migrated).matches("Migrated " + pid + " from node-[0-9] to node-[0-9] in [0-9.]+m?s\n");
        String second = migrated.split(" ")[5];
        assertThat(local.ferry("suspend", pid).ok()).startsWith("Suspended " + pid);
        String third = otherThan(second);
        assertThat(local.ferry("resume", pid, "--to", third).ok()).startsWith("Resumed " + pid + " on " + third
                + " in ");

        local.release("moved.go");
        assertThat(local.ferry("wait", pid).ok()).startsWith(pid + " is COMPLETED on " + third);
        assertThat(local.file("moved.txt")).isEqualTo(Ticker.expected(20_000));
    }

    @Test
    void psNodesDescribeCheckpointSuspendAndTerminateShowAndChangeAProcess() {
        String pid = local.launchTicker(1_000_000, "long.txt", "10");

        String table = local.ferry("ps").ok();
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("PID").contains("STATE", "NODE", "COMMAND");
        assertThat(table).containsPattern(pid + " +Ticker +RUNNING +node-[0-9] +1 ");
        String first = psRow(pid).get("node").asText();

        JsonNode nodes = json(local.ferry("nodes", "--json").ok());
        assertThat(nodes).hasSize(3);
        List<String> holding = new ArrayList<>();
        nodes.forEach(n -> n.get("processes").forEach(p -> {
            if (p.asText().equals(pid)) {
                holding.add(n.get("id").asText());
            }
        }));
        assertThat(holding).containsExactly(first);
        assertThat(local.ferry("nodes").ok()).contains("NODE", "SLOTS", "/4", pid);

        String other = otherThan(first);
        assertThat(local.ferry("migrate", pid, "--to", other).ok()).contains("from " + first + " to " + other + " in ");
        assertThat(local.ferry("checkpoint", pid).ok()).startsWith("Checkpointed " + pid + " on " + other);

        JsonNode described = json(local.ferry("describe", pid, "--json").ok());
        assertThat(described.at("/spec/className").asText()).isEqualTo(Ticker.class.getName());
        assertThat(described.at("/status/node").asText()).isEqualTo(other);
        assertThat(described.at("/status/generation").asInt()).isEqualTo(2);
        assertThat(described.at("/snapshot/size").asLong()).isPositive();
        assertThat(local.ferry("describe", pid).ok()).contains("command", "WHY", "RUNNING", "STARTING");

        assertThat(local.ferry("suspend", pid, "--no-wait").ok()).startsWith("Asked to suspend " + pid);
        assertThat(local.ferry("wait", pid, "--state", "suspended").ok()).startsWith(pid + " is SUSPENDED");
        assertThat(local.ferry("terminate", pid).ok()).startsWith("Terminated " + pid + " in ");
        assertThat(local.ferry("wait", pid).failureLine()).contains(pid + " is TERMINATED");
        assertThat(local.ferry("ps", "--all").ok()).containsPattern(pid + " .*TERMINATED");

        assertThat(local.ferry("restart", pid).ok()).startsWith("Restarted " + pid + " on ").contains(" from snapshot ");
        assertThat(local.ferry("describe", pid).ok()).containsPattern("restarts +the node's policy: 0 automatic since"
                + " the last by hand, 1 by hand");
        assertThat(local.ferry("restart", pid, "--fresh").failureLine()).isEqualTo("ferry: " + pid + " is RUNNING:"
                + " only a FAILED or TERMINATED process can be restarted (end it first with 'ferry terminate " + pid
                + "')");
        assertThat(local.ferry("terminate", pid).ok()).startsWith("Terminated " + pid);
    }

    @Test
    void logsShowWhatTheProcessPrintedAcrossAMove() throws IOException {
        String pid = local.launchTicker(4_000, "logged.txt", "50", "logged.go");
        local.ferry("migrate", pid).ok();
        local.release("logged.go");
        local.ferry("wait", pid).ok();

        String logs = local.ferry("logs", pid).ok();
        assertThat(logs.lines().filter(l -> l.startsWith("ticked ")))
                .containsExactly("ticked 1000", "ticked 2000", "ticked 3000", "ticked 4000");
        // the first generation printed nothing before it moved, so only the second has its line
        assertThat(logs.lines().filter(l -> l.startsWith("[ferry] generation ")))
                .singleElement().asString().startsWith("[ferry] generation 2 on ");
        assertThat(local.ferry("logs", pid, "--tail", "1").ok()).isEqualTo("ticked 4000\n");
        assertThat(local.ferry("logs", pid, "--follow").ok()).isEqualTo(logs);
        assertThat(local.ferry("logs", "p-999").failureLine()).contains("No such process: p-999");
    }

    @Test
    void shellTakesTheOriginalLettersAndFullVerbsOnStandardInput() throws IOException {
        String pid = local.launchTicker(1_000_000, "shell.txt", "10");
        String script = String.join("\n",
                "ps",
                "S " + pid,
                "R " + pid + " node-2",
                "M " + pid + " node-3",
                "nodes",
                "T " + pid,
                "launch --classpath " + Cli.TEST_CLASSES + " --wait " + Ticker.class.getName() + " 20 shell2.txt 1",
                "quit",
                "ps");
        Cli.Result r = Cli.runWithInput(script + "\n", "shell", "--zk", local.zk());

        String out = r.ok();
        assertThat(r.err()).isEmpty();
        assertThat(out).contains("Suspended " + pid, "Resumed " + pid + " on node-2", "Migrated " + pid
                + " from node-2 to node-3", "Terminated " + pid, "NODE", "PID");
        assertThat(out.lines().filter(l -> l.matches("p-[0-9]+"))).hasSize(1);
    }

    @Test
    void shellReportsBadLinesAndExitsNonZero() {
        Cli.Result r = Cli.runWithInput("frobnicate\nS p-999999\n", "shell", "--zk", local.zk());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("ferry: unknown command 'frobnicate' (type 'help')",
                "ferry: No such process: p-999999 (see 'ferry ps --all')");
    }

    @Test
    void zkcliShowsWhatFerryStores() {
        String out = Cli.exec(Cli.ZKCLI, null, List.of("--zk", local.zk(), "ls", "/ferry/nodes")).ok();

        assertThat(out).isEqualTo("[node-1, node-2, node-3]\n"); // the answer alone: no banner, no watcher event
        Cli.Result missing = Cli.exec(Cli.ZKCLI, null, List.of("--zk", local.zk(), "get", "/ferry/none"));
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("Node does not exist: /ferry/none");
    }

    private static JsonNode json(String text) {
        return Json.read("output", text.getBytes(StandardCharsets.UTF_8), JsonNode.class);
    }

    private JsonNode psRow(String pid) {
        JsonNode rows = json(local.ferry("ps", "--json").ok());
        for (JsonNode row : rows) {
            if (row.get("pid").asText().equals(pid)) {
                return row;
            }
        }
        throw new AssertionError(pid + " not in ps --json: " + rows);
    }

    private static String otherThan(String node) {
        return node.equals("node-1") ? "node-2" : "node-1";
    }

    /** events shows what happened to a process, and --follow shows each transition as it happens. */
    @Test
    void eventsShowTransitionsAndFollowThemAsTheyHappen() throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempFile("ferry-events-", ".txt");
        // with the history first: what it prints before the second launch shows it follows, however slow it starts
        Process follow = Cli.builder(Cli.BIN, java.util.List.of("events", "--follow", "--json", "--limit", "1000",
                "--zk", local.zk())).redirectOutput(out.toFile()).redirectErrorStream(true).start();
        try {
            String pid = local.launchTicker(50, "events.txt", "1");
            assertThat(local.ferry("wait", pid, "--timeout", "60s").ok()).contains(pid + " is COMPLETED");

            String listed = local.ferry("events", "--json", "--limit", "1000").ok();
            java.util.List<String> transitions = new java.util.ArrayList<>();
            for (String line : listed.lines().toList()) {
                var j = io.ferry.coordination.Json.mapper().readTree(line);
                if (j.get("pid").asText().equals(pid)) {
                    transitions.add(j.path("from").asText("") + ">" + j.get("to").asText()); // no "from" at the first
                }
            }
            assertThat(transitions).containsExactly(">PENDING", "PENDING>STARTING", "STARTING>RUNNING",
                    "RUNNING>COMPLETED");
            assertThat(local.ferry("events").ok()).contains(pid).contains("RUNNING    -> COMPLETED");

            for (String shown : java.util.List.of(pid, "next")) {
                String p = shown.equals("next") ? local.launchTicker(50, "events-2.txt", "1") : shown;
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(java.nio.file.Files.readString(out)).containsPattern("\"pid\":\"" + p
                                + "\".*\"to\":\"COMPLETED\""));
            }
        } finally {
            follow.destroyForcibly().waitFor();
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}
