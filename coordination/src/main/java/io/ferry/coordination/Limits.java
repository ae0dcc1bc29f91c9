package io.ferry.coordination;

/**
 * The sizes a user or a process controls, and their bounds. ZooKeeper's packet limit ({@code jute.maxbuffer},
 * about 1 MiB) bounds every request and reply; a launch record or an error text near it would stop the node or
 * leader that reads it from talking to ZooKeeper at all, so each is bounded far below it, checked by the client
 * before it writes and again by the leader and the node when they read (another tool may have written it).
 */
public final class Limits {
    /** The largest launch spec (class, args, name, classpath, labels) as JSON, in bytes. */
    public static final String SPEC_BYTES = "ferry.limits.specBytes";
    public static final long DEFAULT_SPEC_BYTES = 64 * 1024;
    /** The longest error text or transition reason kept in a status; longer ones are cut, with a marker. */
    public static final int REASON_CHARS = 4096;
    /** What a launch record holds besides its spec (pid, desired state, times), generously. */
    private static final long RECORD_OVERHEAD = 4096;

    private Limits() {}

    /**
     * Checks the encoded size of a spec, and returns it.
     *
     * @throws FerryException naming the size, the limit, the setting and what to do instead
     */
    public static long checkSpec(ProcessSpec spec, long maxBytes) {
        long size = Json.write(spec).length;
        if (size > maxBytes) {
            throw new FerryException(String.format("The launch spec of %s is %,d bytes, over the limit of %,d (%s):"
                    + " pass large inputs in a file, not as arguments", spec.name(), size, maxBytes, SPEC_BYTES));
        }
        return size;
    }

    /**
     * Checks the stored size of a launch record read from ZooKeeper, before decoding it.
     *
     * @throws MalformedDataException naming the size and the limit
     */
    public static void checkRecord(String path, int bytes, long maxSpecBytes) {
        if (bytes > maxSpecBytes + RECORD_OVERHEAD) {
            throw new MalformedDataException(path, String.format("its launch record is %,d bytes, over the limit of"
                    + " %,d (%s); launch it again with large inputs in a file", bytes, maxSpecBytes, SPEC_BYTES));
        }
    }

    /** {@code text} cut to {@link #REASON_CHARS}, with a marker saying how much was cut; null stays null. */
    public static String cut(String text) {
        if (text == null || text.length() <= REASON_CHARS) {
            return text;
        }
        String marker = " [... " + (text.length() - REASON_CHARS) + " more characters cut]";
        return text.substring(0, REASON_CHARS - marker.length()) + marker;
    }
}
