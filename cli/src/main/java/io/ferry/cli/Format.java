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

    /**
     * {@code text} safe to print on a terminal: control characters (which could clear a screen, move the cursor
     * or start a line that looks like a table row) are shown as escapes: {@code \n}, {@code \t}, {@code \x1b},
     * {@code \u2028}. Every string a user or a process supplied goes through here before it reaches a terminal.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escape = escape(c);
            if (escape != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                out.append(escape != null ? escape : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c)
                    : (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                            || (c >= '\u2066' && c <= '\u2069') ? String.format("\\u%04x", (int) c) : null;
        };
    }

    /** {@code k=v,k2=v2}, or null when empty. */
    static String labels(Map<String, String> labels) {
        return labels.isEmpty() ? null : labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
