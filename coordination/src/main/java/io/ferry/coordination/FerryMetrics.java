package io.ferry.coordination;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Ferry's meters, every one named here (docs/METRICS.md lists them as Prometheus renders them: dots become
 * underscores, counters end in {@code _total}, timers in {@code _seconds}). They are recorded to Micrometer's global
 * registry, to which a part that serves {@code /metrics} adds a Prometheus registry; with none added they cost a
 * no-op. Tags are few and bounded (a node's id, a phase, a state), never a pid.
 */
public final class FerryMetrics {
    // scheduler
    public static final String PLACEMENTS = "ferry.placements";
    public static final String RECOVERIES = "ferry.recoveries";
    public static final String RECOVERY_DURATION = "ferry.recovery.duration";
    public static final String MIGRATIONS = "ferry.migrations";
    public static final String MIGRATION_DURATION = "ferry.migration.duration";
    public static final String LEADER_CHANGES = "ferry.leader.changes";
    public static final String LEADER = "ferry.scheduler.leader";
    public static final String PROCESSES = "ferry.processes";
    // node
    public static final String CHECKPOINTS = "ferry.checkpoints";
    public static final String CHECKPOINT_DURATION = "ferry.checkpoint.duration";
    public static final String SNAPSHOT_BYTES = "ferry.snapshot.bytes";
    public static final String MIGRATION_PHASE = "ferry.migration.phase.duration";
    public static final String SUSPEND_DEADLINES_MISSED = "ferry.suspend.deadlines.missed";
    public static final String PROCESS_STARTS = "ferry.process.starts";
    // every part's ZooKeeper client
    public static final String ZK_REQUEST = "ferry.zk.request.duration";
    public static final String ZK_CONNECTED = "ferry.zk.connected.clients";
    public static final String ZK_STATE_CHANGES = "ferry.zk.connection.state.changes";
    public static final String ZK_SESSION_EXPIRIES = "ferry.zk.session.expiries";

    private static volatile boolean published;

    private FerryMetrics() {}

    public static io.micrometer.core.instrument.composite.CompositeMeterRegistry registry() {
        return Metrics.globalRegistry;
    }

    /** Adds {@code to} to the global registry: what is recorded from now on is published there. */
    public static void publish(io.micrometer.core.instrument.MeterRegistry to) {
        registry().add(to);
        published = true;
    }

    /**
     * Whether anything publishes what is recorded. A short command publishes nothing, and its ZooKeeper client is not
     * metered: Micrometer's classes alone cost it 10 ms.
     */
    public static boolean published() {
        return published;
    }

    public static Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry());
    }

    /** The buckets of every timer's histogram: few, so that a timer per ZooKeeper operation stays cheap to scrape. */
    private static final Duration[] TIME_BUCKETS = java.util.stream.LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500,
            1_000, 2_500, 5_000, 10_000, 30_000, 60_000).mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    private static final double[] BYTE_BUCKETS = java.util.stream.LongStream.of(1, 4, 16, 64, 256, 1024, 4096,
            16384, 65536).mapToDouble(kb -> kb * 1024.0).toArray();

    /** A timer with a histogram (1 ms to a minute), for quantiles and heat maps in Prometheus. */
    public static Timer timer(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(TIME_BUCKETS)
                .register(registry());
    }

    /** A summary of sizes in bytes with a histogram (1 KB to 64 MB). */
    public static DistributionSummary bytes(String name, String description, String... tags) {
        return DistributionSummary.builder(name).description(description).baseUnit("bytes").tags(tags)
                .serviceLevelObjectives(BYTE_BUCKETS).register(registry());
    }

    /**
     * The timer of one phase of a move: {@code suspend} (suspend() asked to run() returned), {@code snapshot}
     * (serialized and stored as the process stops), {@code restore} (loaded and started to RUNNING on a node).
     */
    public static Timer phase(String phase) {
        return timer(MIGRATION_PHASE, "The phases of a move off a node and onto the next", "phase", phase);
    }

    /** Records the time since {@code startNanos} ({@link System#nanoTime}) on {@code timer}. */
    public static void since(Timer timer, long startNanos) {
        timer.record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
