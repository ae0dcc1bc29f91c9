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
    private final Buckets buckets;
    /** Signs what is stored and verifies what is loaded; null: unsigned, checked by CRC only. */
    private final SnapshotKey key;

    /** A store that neither signs nor verifies: for those that only delete snapshots or read their metadata. */
    public SnapshotStore(CuratorFramework client, long maxBytes) {
        this(client, maxBytes, null);
    }

    /** @param key signs every snapshot stored and must verify every one loaded; null for none */
    public SnapshotStore(CuratorFramework client, long maxBytes, SnapshotKey key) {
        this.client = client;
        this.buckets = new Buckets(client);
        this.maxBytes = maxBytes;
        this.key = key;
    }

    /** Operations to commit in the same transaction that makes a snapshot current (e.g. a fencing check). */
    @FunctionalInterface
    public interface AlsoCommit {
        List<CuratorOp> ops(SnapshotMeta meta) throws Exception;
    }

    /** A loaded, verified snapshot. */
    public record Snapshot(SnapshotMeta meta, byte[] bytes) {}

    /**
     * What {@code /snapshots/{pid}} holds: the current snapshot's metadata (null while none has been made current)
     * and the znode's version, or {@link #NONE} when there is no such znode. A writer that knows the pointer (it
     * restored or stored that snapshot itself) can store the next one without reading it again.
     */
    public record Pointer(SnapshotMeta meta, int version) {
        public static final Pointer NONE = new Pointer(null, -1);

        boolean exists() {
            return version >= 0;
        }
    }

    /** What {@link #store} made current, the pointer now, and the results of the caller's operations, in order. */
    public record Stored(SnapshotMeta meta, Pointer pointer, List<CuratorTransactionResult> results) {}

    /**
     * Stores {@code bytes} as the current snapshot of {@code pid}, atomically with the operations {@code alsoCommit}
     * builds for the new snapshot's metadata.
     *
     * @param known the pointer as the caller last saw it, or null to read it first. A stale one makes the
     *     transaction fail (the flip is a compare-and-set on the pointer's version) and nothing is stored
     * @throws SnapshotException when the state is over the configured cap
     * @throws KeeperException when the transaction fails (a failed compare-and-set among {@code alsoCommit} means
     *     the caller was fenced); nothing becomes current then
     */
    public Stored store(String pid, long generation, String className, String node, byte[] bytes, Pointer known,
            AlsoCommit alsoCommit) throws Exception {
        if (bytes.length > maxBytes) {
            throw new SnapshotException(String.format("State of %s is %,d bytes, over the %,d-byte cap (%s)", pid,
                    bytes.length, maxBytes, FerrySettings.SNAPSHOT_MAX));
        }
        Pointer pointer = known != null ? known : pointer(pid);
        SnapshotMeta previous = pointer.meta();
        long seq = previous == null ? 1 : previous.seq() + 1;
        int chunks = Math.max(1, (bytes.length + CHUNK - 1) / CHUNK);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        SnapshotMeta meta = new SnapshotMeta(SnapshotMeta.FORMAT, pid, seq, generation, className, bytes.length,
                chunks, crc.getValue(), System.currentTimeMillis(), node);
        if (key != null) {
            meta = meta.signedWith(key.sign(meta, bytes));
        }
        String folder = chunkFolder(pid, seq, generation);

        List<CuratorOp> ops = new ArrayList<>();
        if (!pointer.exists()) {
            buckets.ensure(ZPaths.SNAPSHOTS, pid);
        }
        if (chunks == 1) {
            if (!pointer.exists()) {
                // the first snapshot of this pid: its root, holding the pointer, comes first in the same transaction
                ops.add(client.transactionOp().create().forPath(ZPaths.snapshot(pid), Json.write(meta)));
            }
            ops.add(client.transactionOp().create().forPath(folder, new byte[0]));
            ops.add(client.transactionOp().create().forPath(folder + "/c-0", bytes));
        } else {
            if (!pointer.exists()) {
                pointer = createEmptyRoot(pid); // the chunks written ahead need their parent
            }
            writeChunks(folder, bytes, chunks);
        }
        int flip = -1;
        if (pointer.exists()) {
            flip = ops.size();
            ops.add(client.transactionOp().setData().withVersion(pointer.version())
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
            int version = flip < 0 ? 0 : results.get(flip).getResultStat().getVersion();
            return new Stored(meta, new Pointer(meta, version),
                    results.subList(firstCallerOp, firstCallerOp + callerOps.size()));
        } catch (Exception e) {
            if (chunks > 1) {
                deleteQuietly(folder);
            }
            if (e instanceof KeeperException.NoNodeException) {
                buckets.forget(); // the bucket of a first snapshot may have been removed since: created on a retry
            }
            throw e;
        }
    }

    /**
     * Loads and verifies the snapshot {@code known} points to (null: the current one), following the pointer again
     * if a newer snapshot replaced it meanwhile.
     *
     * @throws SnapshotException when its checksum, size or (with a key) MAC does not match, or its declared size
     *     is over the cap: such bytes are never deserialized
     */
    public Optional<Snapshot> load(String pid, Pointer known) throws Exception {
        Pointer pointer = known != null ? known : pointer(pid);
        for (int attempt = 0; ; attempt++) {
            if (pointer.meta() == null) {
                return Optional.empty();
            }
            if (!pointer.meta().pid().equals(pid)) { // signed, perhaps, but another's: never restored as this one
                throw new SnapshotException("Snapshot " + pointer.meta().seq() + " under " + pid + " is "
                        + pointer.meta().pid() + "'s: refused");
            }
            try {
                return Optional.of(new Snapshot(pointer.meta(), readVerified(pointer.meta())));
            } catch (KeeperException.NoNodeException replaced) {
                if (attempt >= 3) {
                    throw new SnapshotException("Snapshot of " + pid + " keeps changing while being read");
                }
                pointer = pointer(pid);
            }
        }
    }

    /** The pointer of {@code pid}, read now. */
    public Pointer pointer(String pid) throws Exception {
        Stat stat = new Stat();
        String path = ZPaths.snapshot(pid);
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return new Pointer(decodeMeta(path, data), stat.getVersion());
        } catch (KeeperException.NoNodeException none) {
            return Pointer.NONE;
        }
    }

    /** Adds the pointer of {@code pid} to {@code reads}. */
    public MultiRead.Slot<Pointer> pointer(MultiRead reads, String pid) {
        String path = ZPaths.snapshot(pid);
        return reads.add(path, raw -> raw == null ? Pointer.NONE
                : new Pointer(decodeMeta(path, raw.data()), raw.version()));
    }

    /** The current snapshot's metadata, if any. */
    public Optional<SnapshotMeta> current(String pid) throws Exception {
        return Optional.ofNullable(pointer(pid).meta());
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
        // what the pointer claims is checked before anything is allocated for it
        if (meta.size() > maxBytes) {
            throw corrupt(meta, String.format("it claims %,d bytes, over the %,d-byte cap (%s)", meta.size(),
                    maxBytes, FerrySettings.SNAPSHOT_MAX));
        }
        if (meta.chunks() != Math.max(1, (meta.size() + CHUNK - 1) / CHUNK)) {
            throw corrupt(meta, meta.chunks() + " chunks recorded for " + meta.size() + " bytes");
        }
        if (key != null && meta.mac() == null) {
            throw new SnapshotException("Snapshot " + meta.seq() + " of " + meta.pid() + " is not signed, and this"
                    + " node restores only snapshots signed with the cluster's key (" + SnapshotKey.FILE + ")");
        }
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
        if (key != null && !key.verifies(meta, bytes)) {
            throw new SnapshotException("Snapshot " + meta.seq() + " of " + meta.pid() + " was not signed with the"
                    + " cluster's key (" + SnapshotKey.FILE + "): it was forged or altered, and is refused");
        }
        return bytes;
    }

    private static SnapshotException corrupt(SnapshotMeta meta, String why) {
        return new SnapshotException("Snapshot " + meta.seq() + " of " + meta.pid() + " is corrupt: " + why);
    }

    /** The metadata a pointer holds, or null for a root created but never flipped. */
    private static SnapshotMeta decodeMeta(String path, byte[] data) {
        return data == null || data.length == 0 ? null : Json.read(path, data, SnapshotMeta.class);
    }

    private Pointer createEmptyRoot(String pid) throws Exception {
        try {
            client.create().creatingParentContainersIfNeeded().forPath(ZPaths.snapshot(pid), new byte[0]);
        } catch (KeeperException.NodeExistsException raced) {
            // created meanwhile
        }
        return pointer(pid);
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
