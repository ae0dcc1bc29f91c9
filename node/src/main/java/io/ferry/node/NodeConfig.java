package io.ferry.node;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Names;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessSpec.Isolation;
import io.ferry.coordination.RestartPolicy;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How a node agent runs.
 *
 * @param workdir the directory relative file names of processes resolve against
 * @param checkpointEvery how often to snapshot a running process when its spec does not say; zero for never
 * @param suspendTimeout how long a process gets to return from {@code run()} after {@code suspend()}
 * @param resync how often the agent re-reads all of its assignments, healing any missed event
 * @param logMaxBytes how much of each process's output is kept; older output is dropped
 * @param outputFlush how long bytes a process wrote may wait in a transactional stream's buffer before they are
 *     handed to the OS (they are forced to disk at snapshots and before COMPLETED or FAILED)
 * @param specMaxBytes the largest launch spec the node starts; a larger one is FAILED
 * @param isolation where a process runs when its spec does not say: a JVM of its own, or a thread of the node's
 * @param memoryBytes the heap limit of a process's JVM when its spec does not say
 * @param workerPool how many worker JVMs the node keeps started and idle, so a launch need not wait for one
 * @param policy what the node trusts: snapshot key, classpath and file roots
 * @param restart what happens to a process that fails here when its spec does not say
 */
public record NodeConfig(String id, int slots, Map<String, String> labels, Path workdir, String host,
        Duration checkpointEvery, Duration suspendTimeout, Duration resync, long snapshotMaxBytes, long logMaxBytes,
        Duration outputFlush, long specMaxBytes, Isolation isolation, long memoryBytes, int workerPool, NodePolicy policy,
        RestartPolicy restart) {
    public static final String SLOTS = "ferry.node.slots";
    public static final String CHECKPOINT_EVERY = "ferry.node.checkpointEvery";
    public static final String SUSPEND_TIMEOUT = "ferry.node.suspendTimeout";
    public static final String RESYNC = "ferry.node.resync";
    public static final String OUTPUT_FLUSH = "ferry.node.outputFlush";
    public static final String ISOLATION = "ferry.node.isolation";
    public static final String MEMORY = "ferry.node.memory";
    public static final String WORKER_POOL = "ferry.node.workerPool";
    public static final String RESTART = "ferry.node.restart";

    public NodeConfig {
        Names.checkNode(id);
        if (slots < 0) {
            throw new IllegalArgumentException("slots must be >= 0, got " + slots);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        workdir = workdir.toAbsolutePath().normalize();
        if (outputFlush.isNegative() || outputFlush.isZero()) {
            throw new IllegalArgumentException(OUTPUT_FLUSH + " must be positive, got " + outputFlush);
        }
        if (memoryBytes < ProcessSpec.MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException(MEMORY + " must be at least 16m, got " + memoryBytes + " bytes");
        }
        if (workerPool < 0 || workerPool > 64) {
            throw new IllegalArgumentException(WORKER_POOL + " must be between 0 and 64, got " + workerPool);
        }
        policy = policy == null ? NodePolicy.OPEN : policy;
        restart = restart == null ? RestartPolicy.NEVER : restart;
    }

    /** A node named {@code id} configured from {@code settings}. */
    public static NodeConfig from(FerrySettings settings, String id, Path workdir) {
        io.ferry.coordination.Acls.requireRole(settings, io.ferry.coordination.Acls.NODES, "node");
        Isolation isolation = isolation(settings.get(ISOLATION, "jvm"));
        return new NodeConfig(id, (int) settings.number(SLOTS, 4), Map.of(), workdir, localHost(),
                settings.duration(CHECKPOINT_EVERY, Duration.ofSeconds(30)),
                settings.duration(SUSPEND_TIMEOUT, Duration.ofSeconds(10)),
                settings.duration(RESYNC, Duration.ofSeconds(10)),
                settings.snapshotMaxBytes(),
                settings.number(io.ferry.coordination.LogStore.MAX_BYTES, 1 << 20),
                settings.duration(OUTPUT_FLUSH, Duration.ofSeconds(1)), settings.specMaxBytes(), isolation,
                settings.bytes(MEMORY, 256L << 20),
                (int) settings.number(WORKER_POOL, isolation == Isolation.JVM ? 2 : 0), NodePolicy.from(settings),
                restartPolicy(settings.get(RESTART, "never")));
    }

    /** @throws IllegalArgumentException naming the setting and its two values */
    static Isolation isolation(String text) {
        try {
            return Isolation.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Setting " + ISOLATION + " must be jvm or thread, got '" + text + "'");
        }
    }

    /** @throws IllegalArgumentException naming the setting */
    static RestartPolicy restartPolicy(String text) {
        try {
            return RestartPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Setting " + RESTART + ": " + e.getMessage());
        }
    }

    public NodeConfig withRestart(RestartPolicy restart) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes, isolation, memoryBytes, workerPool, policy, restart);
    }

    public NodeConfig withIsolation(Isolation isolation, int workerPool) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes, isolation, memoryBytes, workerPool, policy, restart);
    }

    public NodeConfig withSlots(int slots) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes, isolation, memoryBytes, workerPool, policy, restart);
    }

    public NodeConfig withLabels(Map<String, String> labels) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes, isolation, memoryBytes, workerPool, policy, restart);
    }

    public NodeConfig withTimeouts(Duration checkpointEvery, Duration suspendTimeout, Duration resync) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes, isolation, memoryBytes, workerPool, policy, restart);
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
