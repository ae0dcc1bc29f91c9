package io.ferry.coordination;

/**
 * The content of {@code /snapshots/{pid}}: which snapshot is current and how to check it. Flipped atomically
 * after its chunks are written, so a reader never sees a half-written snapshot.
 *
 * @param seq sequence number of this snapshot for the pid; chunks live under {@code s-{seq}}
 * @param crc32c checksum over all bytes; a snapshot that fails it is never deserialized
 */
public record SnapshotMeta(int v, String pid, long seq, long generation, String className, long size, int chunks,
        long crc32c, long createdAt, String node) {
    public static final int FORMAT = 1;

    public SnapshotMeta {
        Names.checkPid(pid);
        if (size < 0 || chunks < 0) {
            throw new IllegalArgumentException("bad snapshot size " + size + " / chunks " + chunks);
        }
    }
}
