package io.ferry.node;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Names;
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
 */
public record NodeConfig(String id, int slots, Map<String, String> labels, Path workdir, String host,
        Duration checkpointEvery, Duration suspendTimeout, Duration resync, long snapshotMaxBytes, long logMaxBytes,
        Duration outputFlush, long specMaxBytes) {
    public static final String SLOTS = "ferry.node.slots";
    public static final String CHECKPOINT_EVERY = "ferry.node.checkpointEvery";
    public static final String SUSPEND_TIMEOUT = "ferry.node.suspendTimeout";
    public static final String RESYNC = "ferry.node.resync";
    public static final String OUTPUT_FLUSH = "ferry.node.outputFlush";

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
    }

    /** A node named {@code id} configured from {@code settings}. */
    public static NodeConfig from(FerrySettings settings, String id, Path workdir) {
        return new NodeConfig(id, (int) settings.number(SLOTS, 4), Map.of(), workdir, localHost(),
                settings.duration(CHECKPOINT_EVERY, Duration.ofSeconds(30)),
                settings.duration(SUSPEND_TIMEOUT, Duration.ofSeconds(10)),
                settings.duration(RESYNC, Duration.ofSeconds(10)),
                settings.snapshotMaxBytes(),
                settings.number(io.ferry.coordination.LogStore.MAX_BYTES, 1 << 20),
                settings.duration(OUTPUT_FLUSH, Duration.ofSeconds(1)), settings.specMaxBytes());
    }

    public NodeConfig withSlots(int slots) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes);
    }

    public NodeConfig withLabels(Map<String, String> labels) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes);
    }

    public NodeConfig withTimeouts(Duration checkpointEvery, Duration suspendTimeout, Duration resync) {
        return new NodeConfig(id, slots, labels, workdir, host, checkpointEvery, suspendTimeout, resync,
                snapshotMaxBytes, logMaxBytes, outputFlush, specMaxBytes);
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
