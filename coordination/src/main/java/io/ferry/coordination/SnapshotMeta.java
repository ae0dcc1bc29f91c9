package io.ferry.coordination;

/**
 * The content of {@code /snapshots/{pid}}: which snapshot is current and how to check it. Flipped atomically
 * after its chunks are written, so a reader never sees a half-written snapshot.
 *
 * @param seq sequence number of this snapshot for the pid; chunks live under {@code s-{seq}}
 * @param crc32c checksum over all bytes; a snapshot that fails it is never deserialized
 * @param mac the {@link SnapshotKey} MAC of this metadata and the bytes, or null when the cluster has no key
 */
public record SnapshotMeta(int v, String pid, long seq, long generation, String className, long size, int chunks,
        long crc32c, long createdAt, String node, String mac) {
    public static final int FORMAT = 1;

    /** Unsigned. */
    public SnapshotMeta(int v, String pid, long seq, long generation, String className, long size, int chunks,
            long crc32c, long createdAt, String node) {
        this(v, pid, seq, generation, className, size, chunks, crc32c, createdAt, node, null);
    }

    public SnapshotMeta signedWith(String mac) {
        return new SnapshotMeta(v, pid, seq, generation, className, size, chunks, crc32c, createdAt, node, mac);
    }

    public SnapshotMeta {
        Names.checkPid(pid);
        if (size < 0 || chunks < 0) {
            throw new IllegalArgumentException("bad snapshot size " + size + " / chunks " + chunks);
        }
    }
}
