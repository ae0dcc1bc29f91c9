package io.ferry.coordination;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them, the way the JVM's {@code -Xmx} takes them: {@code 256m}, {@code 1g}, {@code 65536}. */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})([kKmMgG]?)");

    private ByteSizes() {}

    /** @throws IllegalArgumentException naming the text and the form expected */
    public static long parse(String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("Not a size: '" + text + "' (write it as 256m, 1g, 512k or bytes)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** {@code 256 MB}, {@code 1.5 GB}: for messages. */
    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GB";
        }
        if (bytes >= 1L << 20) {
            return (bytes % (1L << 20) == 0 ? String.valueOf(bytes >> 20) : String.format("%.1f", bytes / 1048576.0))
                    + " MB";
        }
        return bytes + " bytes";
    }
}
