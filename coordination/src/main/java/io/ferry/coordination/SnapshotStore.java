package io.ferry.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns {@code /snapshots}: serialized processes, checksummed and chunked to fit ZooKeeper's request limit.
 *
 * <p>A snapshot is written as chunks under a fresh {@code s-{seq}-{generation}} folder, then made current by one
 * transaction that flips {@code /snapshots/{pid}} to it together with the caller's own operations (the status
 * compare-and-set that fences stale writers) and deletes the previous snapshot's chunks. Readers follow the
 * pointer, so they never see a half-written snapshot. Small snapshots go in that one transaction entirely.
 * This class is the seam where large states could later live outside ZooKeeper, with only the pointer here.
 */
public final class SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
    /** Well under jute.maxbuffer (1 MiB per request, a multi counting as one). */
    static final int CHUNK = 480 * 1024;

    private final CuratorFramework client;
    private final long maxBytes;

    public SnapshotStore(CuratorFramework client, long maxBytes) {
        this.client = client;
        this.maxBytes = maxBytes;
    }

    /** Operations to commit in the same transaction that makes a snapshot current (e.g. a fencing check). */
    @FunctionalInterface
    public interface AlsoCommit {
        List<CuratorOp> ops(SnapshotMeta meta) throws Exception;
    }

    /** A loaded, verified snapshot. */
    public record Snapshot(SnapshotMeta meta, byte[] bytes) {}

    /** What {@link #store} made current, and the results of the caller's operations, in order. */
    public record Stored(SnapshotMeta meta, List<CuratorTransactionResult> results) {}

    /**
     * Stores {@code bytes} as the current snapshot of {@code pid}, atomically with the operations {@code alsoCommit}
     * builds for the new snapshot's metadata.
     *
     * @throws SnapshotException when the state is over the configured cap
     * @throws KeeperException when the transaction fails (a failed compare-and-set among {@code alsoCommit} means
     *     the caller was fenced); nothing becomes current then
     */
    public Stored store(String pid, long generation, String className, String node, byte[] bytes,
            AlsoCommit alsoCommit) throws Exception {
        if (bytes.length > maxBytes) {
            throw new SnapshotException(String.format("State of %s is %,d bytes, over the %,d-byte cap (%s)", pid,
                    bytes.length, maxBytes, FerrySettings.SNAPSHOT_MAX));
        }
        Stat stat = new Stat();
        SnapshotMeta previous = readMeta(pid, stat);
        boolean hasRoot = stat.getCzxid() != 0;
        long seq = previous == null ? 1 : previous.seq() + 1;
        int chunks = Math.max(1, (bytes.length + CHUNK - 1) / CHUNK);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        SnapshotMeta meta = new SnapshotMeta(SnapshotMeta.FORMAT, pid, seq, generation, className, bytes.length,
                chunks, crc.getValue(), System.currentTimeMillis(), node);
        String folder = chunkFolder(pid, seq, generation);

        List<CuratorOp> ops = new ArrayList<>();
        if (chunks == 1) {
            if (!hasRoot) {
                // the first snapshot of this pid: its root, holding the pointer, comes first in the same transaction
                ops.add(client.transactionOp().create().forPath(ZPaths.snapshot(pid), Json.write(meta)));
            }
            ops.add(client.transactionOp().create().forPath(folder, new byte[0]));
            ops.add(client.transactionOp().create().forPath(folder + "/c-0", bytes));
        } else {
            if (!hasRoot) {
                stat = createEmptyRoot(pid); // the chunks written ahead need their parent
                hasRoot = true;
            }
            writeChunks(folder, bytes, chunks);
        }
        if (hasRoot) {
            ops.add(client.transactionOp().setData().withVersion(stat.getVersion())
                    .forPath(ZPaths.snapshot(pid), Json.write(meta)));
        }
        int firstCallerOp = ops.size();
        List<CuratorOp> callerOps = alsoCommit.ops(meta);
        ops.addAll(callerOps);
        if (previous != null) {
            String old = chunkFolder(pid, previous.seq(), previous.generation());
            for (int i = 0; i < previous.chunks(); i++) {
                ops.add(client.transactionOp().delete().forPath(old + "/c-" + i));
            }
            ops.add(client.transactionOp().delete().forPath(old));
        }
        try {
            List<CuratorTransactionResult> results = client.transaction().forOperations(ops);
            return new Stored(meta, results.subList(firstCallerOp, firstCallerOp + callerOps.size()));
        } catch (Exception e) {
            if (chunks > 1) {
                deleteQuietly(folder);
            }
            throw e;
        }
    }

    /**
     * Loads and verifies the current snapshot of {@code pid}.
     *
     * @throws SnapshotException when its checksum or size does not match: such bytes are never deserialized
     */
    public Optional<Snapshot> load(String pid) throws Exception {
        for (int attempt = 0; ; attempt++) {
            SnapshotMeta meta = readMeta(pid, new Stat());
            if (meta == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Snapshot(meta, readVerified(meta)));
            } catch (KeeperException.NoNodeException replaced) {
                // a newer snapshot replaced this one while we read it: read the pointer again
                if (attempt >= 3) {
                    throw new SnapshotException("Snapshot of " + pid + " keeps changing while being read");
                }
            }
        }
    }

    /** The current snapshot's metadata, if any. */
    public Optional<SnapshotMeta> current(String pid) throws Exception {
        return Optional.ofNullable(readMeta(pid, new Stat()));
    }

    /** Deletes every snapshot of {@code pid}. */
    public void delete(String pid) throws Exception {
        try {
            client.delete().guaranteed().deletingChildrenIfNeeded().forPath(ZPaths.snapshot(pid));
        } catch (KeeperException.NoNodeException gone) {
            // already deleted
        }
    }

    private byte[] readVerified(SnapshotMeta meta) throws Exception {
        String folder = chunkFolder(meta.pid(), meta.seq(), meta.generation());
        byte[] bytes = new byte[Math.toIntExact(meta.size())];
        int at = 0;
        for (int i = 0; i < meta.chunks(); i++) {
            byte[] chunk = client.getData().forPath(folder + "/c-" + i);
            if (at + chunk.length > bytes.length) {
                throw corrupt(meta, "more bytes than the recorded " + meta.size());
            }
            System.arraycopy(chunk, 0, bytes, at, chunk.length);
            at += chunk.length;
        }
        if (at != bytes.length) {
            throw corrupt(meta, at + " bytes instead of the recorded " + meta.size());
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        if (crc.getValue() != meta.crc32c()) {
            throw corrupt(meta, "checksum mismatch (stored " + Long.toHexString(meta.crc32c()) + ", computed "
                    + Long.toHexString(crc.getValue()) + ")");
        }
        return bytes;
    }

    private static SnapshotException corrupt(SnapshotMeta meta, String why) {
        return new SnapshotException("Snapshot " + meta.seq() + " of " + meta.pid() + " is corrupt: " + why);
    }

    /** The current metadata, or null when there is no snapshot (no znode, or one created but never flipped). */
    private SnapshotMeta readMeta(String pid, Stat stat) throws Exception {
        String path = ZPaths.snapshot(pid);
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return data == null || data.length == 0 ? null : Json.read(path, data, SnapshotMeta.class);
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }

    private Stat createEmptyRoot(String pid) throws Exception {
        try {
            client.create().forPath(ZPaths.snapshot(pid), new byte[0]);
        } catch (KeeperException.NodeExistsException raced) {
            // created meanwhile
        }
        Stat stat = new Stat();
        readMeta(pid, stat);
        return stat;
    }

    private void writeChunks(String folder, byte[] bytes, int chunks) throws Exception {
        deleteQuietly(folder); // left over from an earlier failed attempt of this same generation
        client.create().forPath(folder, new byte[0]);
        for (int i = 0; i < chunks; i++) {
            int from = i * CHUNK;
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + CHUNK));
            client.create().forPath(folder + "/c-" + i, chunk);
        }
    }

    private void deleteQuietly(String path) {
        try {
            client.delete().deletingChildrenIfNeeded().forPath(path);
        } catch (KeeperException.NoNodeException gone) {
            // nothing to clean
        } catch (Exception e) {
            LOG.warn("Could not delete {}: {}", path, e.toString());
        }
    }

    private static String chunkFolder(String pid, long seq, long generation) {
        return ZPaths.snapshotChunks(pid, seq) + "-" + generation;
    }
}
