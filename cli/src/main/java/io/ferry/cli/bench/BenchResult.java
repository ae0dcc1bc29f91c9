package io.ferry.cli.bench;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a benchmark's output: what was measured ({@code scenario} and {@code case}), its median and 99th
 * percentile, the floor it is compared with in the same run, and the scenario's own figures in {@code extra}.
 *
 * @param unit what p50 and p99 measure when not milliseconds of latency (for example "MB" of heap)
 * @param target the target from issue 6, in words; {@code met} whether this run met it (null: no target)
 */
@JsonPropertyOrder({"scenario", "case", "p50_ms", "p99_ms", "runs", "floor", "floor_p50_ms", "ratio_p50", "unit",
    "target", "met"})
public record BenchResult(
        @JsonProperty("scenario") String scenario,
        @JsonProperty("case") String name,
        @JsonProperty("p50_ms") double p50Ms,
        @JsonProperty("p99_ms") double p99Ms,
        @JsonProperty("runs") int runs,
        @JsonProperty("floor") String floor,
        @JsonProperty("floor_p50_ms") double floorP50Ms,
        @JsonProperty("unit") String unit,
        @JsonProperty("target") String target,
        @JsonProperty("met") Boolean met,
        @JsonIgnore Map<String, Object> extra) {

    public BenchResult {
        extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A latency result compared with {@code floor}. */
    static BenchResult of(String scenario, String name, Stats stats, String floor, Stats floorStats) {
        return new BenchResult(scenario, name, round(stats.p50Ms()), round(stats.p99Ms()), stats.n(), floor,
                round(floorStats.p50Ms()), null, null, null, null);
    }

    @JsonProperty("ratio_p50")
    public double ratioP50() {
        return floorP50Ms > 0 ? round(p50Ms / floorP50Ms) : Double.NaN;
    }

    @JsonAnyGetter
    public Map<String, Object> extra() {
        return extra;
    }

    BenchResult with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        more.put(key, value instanceof Double d ? round(d) : value);
        return new BenchResult(scenario, name, p50Ms, p99Ms, runs, floor, floorP50Ms, unit, target, met, more);
    }

    BenchResult target(String words, boolean ok) {
        return new BenchResult(scenario, name, p50Ms, p99Ms, runs, floor, floorP50Ms, unit, words, ok, extra);
    }

    BenchResult unit(String u) {
        return new BenchResult(scenario, name, p50Ms, p99Ms, runs, floor, floorP50Ms, u, target, met, extra);
    }

    /** Three significant decimals are more than a benchmark on a shared machine can tell apart. */
    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }
}
