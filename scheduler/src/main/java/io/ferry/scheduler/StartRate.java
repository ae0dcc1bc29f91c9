package io.ferry.scheduler;

import io.ferry.coordination.FerrySettings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How fast the leader hands processes to each node: a token bucket per node, refilled at {@link #perSecond} and
 * holding at most a second's worth. A node that takes over a dead node's processes, or one of many that come back
 * at once, is given them at a pace it can start them (each is a restore, and in jvm isolation a JVM), instead of all
 * in one pass. Owned by the leading thread; a new leader starts with full buckets.
 */
final class StartRate {
    static final String SETTING = "ferry.scheduler.startRate";
    static final long DEFAULT = 10;
    static final long MAX = 10_000;

    /** Starts per node per second; 0 for no limit. */
    private final long perSecond;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        long at;
    }

    StartRate(long perSecond) {
        if (perSecond < 0 || perSecond > MAX) {
            throw new IllegalArgumentException(SETTING + " must be from 0 (no limit) to " + MAX + " starts per node per"
                    + " second, got " + perSecond);
        }
        this.perSecond = perSecond;
    }

    static StartRate from(FerrySettings settings) {
        return new StartRate(settings.number(SETTING, DEFAULT));
    }

    long perSecond() {
        return perSecond;
    }

    /** Whether {@code node} may be handed one more process now. */
    boolean allows(String node, long nowNanos) {
        return perSecond == 0 || refilled(node, nowNanos).tokens >= 1;
    }

    /** One start on {@code node}, which {@link #allows} it. */
    void take(String node, long nowNanos) {
        if (perSecond != 0) {
            refilled(node, nowNanos).tokens -= 1;
        }
    }

    /** How long until any node has a start to give: one token's refill. */
    long refillNanos() {
        return perSecond == 0 ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / perSecond);
    }

    private Bucket refilled(String node, long nowNanos) {
        Bucket b = buckets.get(node);
        if (b == null) {
            b = new Bucket();
            b.tokens = perSecond;
            b.at = nowNanos;
            buckets.put(node, b);
            return b;
        }
        b.tokens = Math.min(perSecond, b.tokens + (nowNanos - b.at) * perSecond / 1e9);
        b.at = nowNanos;
        return b;
    }
}
