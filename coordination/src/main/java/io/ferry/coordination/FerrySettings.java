package io.ferry.coordination;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Every setting of a Ferry process, resolved once: command-line flags first, then the {@code FERRY_ZK}
 * environment variable (connect string only), then {@code conf/ferry.properties}, then defaults.
 */
public final class FerrySettings {
    public static final String CONNECT = "ferry.zk.connect";
    public static final String NAMESPACE = "ferry.zk.namespace";
    public static final String SESSION_TIMEOUT = "ferry.zk.sessionTimeout";
    public static final String CONNECTION_TIMEOUT = "ferry.zk.connectionTimeout";
    public static final String RETRIES = "ferry.zk.retries";
    public static final String SNAPSHOT_MAX = "ferry.snapshot.maxBytes";

    private static final Map<String, String> DEFAULTS = Map.of(
            CONNECT, "127.0.0.1:2181",
            NAMESPACE, "ferry",
            SESSION_TIMEOUT, "15s",
            CONNECTION_TIMEOUT, "5s",
            RETRIES, "5",
            SNAPSHOT_MAX, String.valueOf(64L << 20));

    private final Properties values;

    private FerrySettings(Properties values) {
        this.values = values;
    }

    /** Defaults only. */
    public static FerrySettings defaults() {
        return new FerrySettings(new Properties());
    }

    /**
     * Resolves settings from a properties file (may be absent), the environment and explicit overrides (flags;
     * null values are ignored).
     */
    public static FerrySettings load(Path propertiesFile, Map<String, String> env, Map<String, String> overrides) {
        Properties p = new Properties();
        if (propertiesFile != null && Files.isRegularFile(propertiesFile)) {
            try (InputStream in = Files.newInputStream(propertiesFile)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + propertiesFile + ": " + e.getMessage(), e);
            }
        }
        String fromEnv = env.get("FERRY_ZK");
        if (fromEnv != null && !fromEnv.isBlank()) {
            p.setProperty(CONNECT, fromEnv.trim());
        }
        overrides.forEach((k, v) -> {
            if (v != null) {
                p.setProperty(k, v);
            }
        });
        return new FerrySettings(p);
    }

    /** A copy with {@code key} set to {@code value}. */
    public FerrySettings with(String key, String value) {
        Properties p = new Properties();
        p.putAll(values);
        p.setProperty(key, value);
        return new FerrySettings(p);
    }

    /** The names of the settings set (defaults not included). */
    public java.util.Set<String> names() {
        return values.stringPropertyNames();
    }

    /** Settings are equal when they set the same values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FerrySettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    public String get(String key) {
        String v = values.getProperty(key);
        return v != null ? v.trim() : DEFAULTS.get(key);
    }

    public String get(String key, String fallback) {
        String v = get(key);
        return v != null ? v : fallback;
    }

    /**
     * The values of two settings that only work together, trimmed: both, or null when neither is set.
     *
     * @param writer what writes them, for the message when only one is set
     */
    public java.util.List<String> pair(String first, String second, String writer) {
        String a = get(first, "").trim();
        String b = get(second, "").trim();
        if (a.isEmpty() && b.isEmpty()) {
            return null;
        }
        if (a.isEmpty() || b.isEmpty()) {
            throw new FerryException("Set both " + first + " and " + second + " (as " + writer + " writes them), or"
                    + " neither");
        }
        return java.util.List.of(a, b);
    }

    public Duration duration(String key, Duration fallback) {
        String v = get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Setting " + key + ": " + e.getMessage());
        }
    }

    public long number(String key, long fallback) {
        String v = get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Setting " + key + ": not a whole number: '" + v + "'");
        }
    }

    /** A size such as {@code 256m} ({@link ByteSizes}). */
    public long bytes(String key, long fallback) {
        String v = get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return ByteSizes.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Setting " + key + ": " + e.getMessage());
        }
    }

    public String connectString() {
        return get(CONNECT);
    }

    public String namespace() {
        return get(NAMESPACE);
    }

    public Duration sessionTimeout() {
        return duration(SESSION_TIMEOUT, null);
    }

    public Duration connectionTimeout() {
        return duration(CONNECTION_TIMEOUT, null);
    }

    public int retries() {
        return (int) number(RETRIES, 5);
    }

    /** The largest launch spec, in bytes ({@link Limits#SPEC_BYTES}). */
    public long specMaxBytes() {
        long max = number(Limits.SPEC_BYTES, Limits.DEFAULT_SPEC_BYTES);
        if (max < 1024 || max > 512 * 1024) {
            throw new IllegalArgumentException("Setting " + Limits.SPEC_BYTES + " must be between 1024 and 524288"
                    + " bytes (ZooKeeper's requests are bounded at about 1 MiB), got " + max);
        }
        return max;
    }

    public long snapshotMaxBytes() {
        return number(SNAPSHOT_MAX, 64L << 20);
    }
}
