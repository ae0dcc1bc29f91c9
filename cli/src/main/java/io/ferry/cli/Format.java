package io.ferry.cli;

import io.ferry.coordination.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/** How the command line writes times, ages and labels for people. */
final class Format {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Format() {}

    /** {@code 12s}, {@code 4m05s}: how long ago {@code epochMillis} was; null for null. */
    static String age(Long epochMillis) {
        if (epochMillis == null || epochMillis <= 0) {
            return null;
        }
        long s = Math.max(0, System.currentTimeMillis() - epochMillis) / 1000;
        return s < 60 ? s + "s" : Durations.format(Duration.ofSeconds(s));
    }

    /** {@code 12s ago}, or null. */
    static String ago(Long epochMillis) {
        String age = age(epochMillis);
        return age == null ? null : age + " ago";
    }

    static String clock(long epochMillis) {
        return CLOCK.format(Instant.ofEpochMilli(epochMillis));
    }

    static String dateTime(long epochMillis) {
        return DATE_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    static String took(long startNanos) {
        return Durations.format(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** {@code k=v,k2=v2}, or null when empty. */
    static String labels(Map<String, String> labels) {
        return labels.isEmpty() ? null : labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
