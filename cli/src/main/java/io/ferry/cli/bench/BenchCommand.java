package io.ferry.cli.bench;

import io.ferry.coordination.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry bench SCENARIO}: the benchmarks of issue 6, each on a local cluster of its own. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures Ferry on a local cluster it starts itself (embedded ZooKeeper, nodes in this"
                + " process), each figure next to the floor it is compared with.",
            "'all' runs every scenario but cli (which times the built bin/ferry) and writes docs/BENCHMARKS.md's"
                + " tables and docs/migration-latency.png."})
public final class BenchCommand implements Callable<Integer> {
    /** Every scenario, in the order 'all' runs them. */
    public enum Name { zk, migrate, launch, recover, checkpoint, failover, memory, history, isolation, signing, cli, all }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "${COMPLETION-CANDIDATES}")
    Name scenario;

    @Option(names = "--json", description = "One JSON object per line instead of a table")
    boolean json;

    @Option(names = "--runs", paramLabel = "N", description = "Repetitions of every measurement (default: per scenario)")
    Integer runs;

    @Option(names = "--scale", paramLabel = "full|tiny", defaultValue = "full",
            description = "Sizes: 'full', as docs/BENCHMARKS.md reports them, or 'tiny', for a quick check of the machinery")
    String scale;

    @Option(names = "--docs", paramLabel = "DIR", defaultValue = "docs",
            description = "Where 'all' writes BENCHMARKS.md's tables and the chart (default: ${DEFAULT-VALUE})")
    Path docs;

    @Override
    public Integer call() throws Exception {
        Sizes sizes = Sizes.named(scale).withRuns(runs);
        PrintWriter out = spec.commandLine().getOut();
        List<Scenario> chosen = new ArrayList<>();
        for (Name n : scenario == Name.all ? List.of(Name.values()) : List.of(scenario)) {
            if (n != Name.all && (n != Name.cli || scenario == Name.cli)) { // cli times the built bin/ferry
                chosen.add(scenario(n));
            }
        }
        Map<String, List<BenchResult>> all = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (Scenario s : chosen) {
            List<BenchResult> results = s.run(sizes);
            all.put(s.name(), results);
            for (BenchResult r : results) {
                out.println(json ? new String(Json.write(r), java.nio.charset.StandardCharsets.UTF_8) : human(r));
            }
            out.flush();
        }
        if (scenario == Name.all) {
            Report.write(docs, all, sizes, (System.nanoTime() - started) / 1e9);
            if (!json) {
                out.println("Wrote " + docs.resolve("BENCHMARKS.md") + " and " + docs.resolve(Report.CHART));
            }
        }
        out.flush();
        return 0;
    }

    /** The scenario called {@code n}. */
    public static Scenario scenario(Name n) {
        return switch (n) {
            case zk -> new ZkScenario();
            case migrate -> new MigrateScenario();
            case launch -> new LaunchScenario();
            case recover -> new RecoverScenario();
            case checkpoint -> new CheckpointScenario();
            case failover -> new FailoverScenario();
            case memory -> new MemoryScenario();
            case history -> new HistoryScenario();
            case isolation -> new IsolationScenario();
            case signing -> new SigningScenario();
            case cli -> new CliScenario();
            case all -> throw new IllegalArgumentException("'all' is not one scenario");
        };
    }

    private static String human(BenchResult r) {
        String unit = r.unit() == null ? "ms" : r.unit();
        String line = String.format("%-10s %-22s p50 %10.3f %s  p99 %10.3f %s  runs %3d  floor %s %.3f  ratio %.2f",
                r.scenario(), r.name(), r.p50Ms(), unit, r.p99Ms(), unit, r.runs(), r.floor(), r.floorP50Ms(),
                r.ratioP50());
        if (!r.extra().isEmpty()) {
            line += "  " + r.extra();
        }
        if (r.target() != null) {
            line += "  target: " + r.target() + (r.met() ? " (met)" : " (MISSED)");
        }
        return line;
    }
}
