package io.ferry.cli.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big each scenario is: {@link #FULL} as issue 6 asks, {@link #TINY} for the smoke test that only checks the
 * numbers are sane. {@code runs} overrides every scenario's repetitions when set.
 */
public record Sizes(String scale, Integer runs, int zkRuns, int migrateRuns, List<Integer> migrateBytes,
        int launchProcesses, int launchNodes, int recoverProcesses, int recoverRuns, Duration sessionTimeout,
        int checkpointStateBytes, Duration checkpointRun, Duration checkpointEvery, int checkpointRuns,
        int failoverRuns, int memoryProcesses, int memoryNodes, int historyProcesses, int historyKept,
        int historyLive) {

    public static final Sizes FULL = new Sizes("full", null, 200, 20,
            List.of(1_000, 100_000, 1_000_000, 10_000_000), 10_000, 100, 100, 20, Duration.ofSeconds(4),
            1_000_000, Duration.ofSeconds(10), Duration.ofSeconds(1), 3, 10, 10_000, 100, 200_000, 10_000, 100_000);

    public static final Sizes TINY = new Sizes("tiny", null, 20, 3, List.of(1_000, 100_000), 40, 4, 5, 2,
            Duration.ofSeconds(4), 64_000, Duration.ofMillis(1500), Duration.ofMillis(300), 1, 2, 40, 4, 300, 50, 300);

    public static Sizes named(String scale) {
        return switch (scale) {
            case "full" -> FULL;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("--scale must be full or tiny, got " + scale);
        };
    }

    public Sizes withRuns(Integer n) {
        if (n != null && n < 1) {
            throw new IllegalArgumentException("--runs must be at least 1, got " + n);
        }
        return new Sizes(scale, n, zkRuns, migrateRuns, migrateBytes, launchProcesses, launchNodes,
                recoverProcesses, recoverRuns, sessionTimeout, checkpointStateBytes, checkpointRun, checkpointEvery,
                checkpointRuns, failoverRuns, memoryProcesses, memoryNodes, historyProcesses, historyKept, historyLive);
    }

    /** The repetitions to use where the scenario's own default is {@code otherwise}. */
    int runsOr(int otherwise) {
        return runs != null ? runs : otherwise;
    }
}
