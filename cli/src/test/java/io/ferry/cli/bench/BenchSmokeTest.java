package io.ferry.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.coordination.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every scenario at tiny sizes: not whether Ferry is fast, only that each produces sane numbers. */
class BenchSmokeTest {
    @Test
    void everyScenarioReportsSaneNumbersAndAllWritesTablesAndChart(@TempDir Path docs) throws Exception {
        Files.writeString(docs.resolve("BENCHMARKS.md"), "# Benchmarks\n\nWritten by people.\n");
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));

        int status = cl.execute("all", "--scale", "tiny", "--json", "--docs", docs.toString());

        assertThat(status).isZero();
        List<JsonNode> lines = out.toString().lines().map(l -> Json.read("stdout", l.getBytes(), JsonNode.class))
                .toList();
        Set<String> scenarios = lines.stream().map(l -> l.get("scenario").asText()).collect(Collectors.toSet());
        assertThat(scenarios).containsExactlyInAnyOrder("zk", "migrate", "launch", "recover", "checkpoint",
                "failover", "memory", "history", "isolation", "signing");
        for (JsonNode l : lines) {
            String what = l.toString();
            assertThat(l.has("floor")).as(what).isTrue();
            assertThat(l.get("runs").asInt()).as(what).isPositive();
            double p50 = l.get("p50_ms").asDouble();
            assertThat(p50).as(what).isPositive();
            assertThat(l.get("p99_ms").asDouble()).as(what).isGreaterThanOrEqualTo(p50);
            assertThat(l.get("floor_p50_ms").asDouble()).as(what).isPositive();
            assertThat(l.get("ratio_p50").isNumber()).as(what).isTrue();
            assertThat(Double.isFinite(l.get("ratio_p50").asDouble())).as(what).isTrue();
        }
        assertThat(lines.stream().filter(l -> l.get("scenario").asText().equals("migrate")))
                .allSatisfy(l -> assertThat(l.get("socket_p50_ms").asDouble()).isPositive());
        String md = Files.readString(docs.resolve("BENCHMARKS.md"));
        assertThat(md).startsWith("# Benchmarks\n\nWritten by people.").contains(Report.BEGIN, Report.END,
                "| migrate | 1 KB |", Report.CHART);
        assertThat(Files.size(docs.resolve(Report.CHART))).isPositive();
    }

    @Test
    void percentilesAreNearestRank() {
        Stats s = Stats.ofMillis(5, 1, 4, 2, 3);
        assertThat(s.p50Ms()).isEqualTo(3);
        assertThat(s.p99Ms()).isEqualTo(5);
        assertThat(s.n()).isEqualTo(5);
    }
}
