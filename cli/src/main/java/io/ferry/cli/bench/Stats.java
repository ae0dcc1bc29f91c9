package io.ferry.cli.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of a set of samples, in milliseconds (nearest rank). */
public record Stats(int n, double p50Ms, double p99Ms, double minMs, double maxMs) {

    public Stats {
        if (n < 1) {
            throw new IllegalArgumentException("Stats need at least one sample, got " + n);
        }
    }

    /** From durations in nanoseconds. */
    public static Stats ofNanos(List<Long> nanos) {
        double[] ms = nanos.stream().mapToDouble(v -> v / 1e6).toArray();
        return ofMillis(ms);
    }

    public static Stats ofMillis(double... ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            throw new IllegalArgumentException("Stats need at least one sample, got none");
        }
        return new Stats(sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[0], sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
