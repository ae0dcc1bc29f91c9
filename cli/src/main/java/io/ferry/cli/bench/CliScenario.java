package io.ferry.cli.bench;

import io.ferry.coordination.FerrySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long {@code ferry ps}, {@code nodes} and {@code describe} take, wall time, through the built bin/ferry as a
 * user runs them (handed to the helper), against a local cluster of three processes: next to the JVM's bare start
 * ({@code java -version}), to the same {@code ps} in a JVM of its own ({@code FERRY_HELPER=0}: the class-data archive
 * and the quick compiler) and with the JVM's defaults ({@code FERRY_CLI_FAST=0}: no archive, no helper, both
 * compilers), every command taking its turn in each round so that the machine's moods fall on all of them.
 */
final class CliScenario implements Scenario {
    static final String FLOOR = "java -version";
    static final double TARGET_MS = 300;
    private static final String OWN_JVM = "ps, own JVM";
    private static final String DEFAULTS = "ps, JVM defaults";

    @Override
    public String name() {
        return "cli";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        Path ferry = Path.of(System.getProperty("ferry.home", "."), "bin", "ferry").toAbsolutePath();
        if (!Files.isExecutable(ferry)) {
            throw new IllegalStateException("ferry bench cli times bin/ferry, which is not at " + ferry + ": run it"
                    + " as 'bin/ferry bench cli' from a checkout or a distribution");
        }
        int runs = sizes.runsOr(sizes.scale().equals("full") ? 30 : 3);
        try (BenchCluster c = BenchCluster.start(2, 4, sizes.sessionTimeout())) {
            String pid = c.client.launch(BenchCluster.idle(64));
            for (int i = 0; i < 2; i++) {
                c.client.launch(BenchCluster.idle(64));
            }
            c.client.awaitRunning(pid, null, BenchCluster.WAIT);
            String zk = c.local.settings().get(FerrySettings.CONNECT);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Map<String, Command> commands = new LinkedHashMap<>();
            commands.put(FLOOR, new Command(List.of(java, "-version"), Map.of()));
            commands.put("ps", new Command(List.of(ferry.toString(), "ps", "--zk", zk), Map.of()));
            commands.put("nodes", new Command(List.of(ferry.toString(), "nodes", "--zk", zk), Map.of()));
            commands.put("describe", new Command(List.of(ferry.toString(), "describe", pid, "--zk", zk), Map.of()));
            commands.put(OWN_JVM, new Command(List.of(ferry.toString(), "ps", "--zk", zk),
                    Map.of("FERRY_HELPER", "0")));
            commands.put(DEFAULTS, new Command(List.of(ferry.toString(), "ps", "--zk", zk),
                    Map.of("FERRY_CLI_FAST", "0")));
            // not timed: after a build the first run drops the old class-data archive, the next writes one and
            // starts the helper, which the next ones wait for
            commands.get(OWN_JVM).time();
            commands.get(OWN_JVM).time();
            commands.get("ps").time();
            Command status = new Command(List.of(ferry.toString(), "helper", "status"), Map.of());
            long deadline = System.nanoTime() + BenchCluster.WAIT.toNanos();
            while (!status.succeeds()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no helper came up within " + BenchCluster.WAIT);
                }
            }
            Map<String, List<Long>> samples = new LinkedHashMap<>();
            for (int round = 0; round < runs; round++) {
                for (Map.Entry<String, Command> e : commands.entrySet()) {
                    samples.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue().time());
                }
            }
            Stats floor = Stats.ofNanos(samples.get(FLOOR));
            Stats own = Stats.ofNanos(samples.get(OWN_JVM));
            Stats plain = Stats.ofNanos(samples.get(DEFAULTS));
            List<BenchResult> out = new ArrayList<>();
            for (String verb : List.of("ps", "nodes", "describe", OWN_JVM)) {
                Stats s = Stats.ofNanos(samples.get(verb));
                out.add(BenchResult.of(name(), verb, s, FLOOR, floor)
                        .with("own_jvm_p50_ms", own.p50Ms())
                        .with("jvm_defaults_p50_ms", plain.p50Ms())
                        .with("vs_jvm_defaults", s.p50Ms() / plain.p50Ms())
                        .target("p50 under 300 ms", s.p50Ms() < TARGET_MS));
            }
            return out;
        }
    }

    /** A command line, run to its end with its output discarded; a failure fails the benchmark. */
    private record Command(List<String> argv, Map<String, String> env) {
        long time() throws Exception {
            long t = System.nanoTime();
            if (!succeeds()) {
                throw new IllegalStateException(String.join(" ", argv) + " failed");
            }
            return System.nanoTime() - t;
        }

        boolean succeeds() throws Exception {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            return pb.start().waitFor() == 0;
        }
    }
}
