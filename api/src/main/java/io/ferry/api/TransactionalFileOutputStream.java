package io.ferry.api;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * An {@link OutputStream} over a file whose output survives migration and crashes exactly once.
 *
 * <p>When the stream is serialized (as part of a process snapshot) it flushes, forces its bytes to disk and
 * records the file's length. A stream restored from that snapshot truncates the file back to the recorded length
 * before it writes again, so the bytes a crashed copy wrote after the snapshot are overwritten, never duplicated.
 *
 * <p>{@code (path)} and {@code (path, false)} start a new, empty file at construction; {@code (path, true)} appends
 * to what is there at construction. The path is resolved once, at construction, against the node's
 * {@linkplain WorkingDirectory working directory}. {@link #close()} flushes and releases the handle only: the next
 * write reopens the file where the stream left off. Writes are buffered internally; not thread-safe.
 */
public class TransactionalFileOutputStream extends OutputStream implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int BUFFER_SIZE = 64 * 1024;

    private final String path;
    /** Bytes the process has written, buffered ones included: the file's length once flushed. */
    private long offset;

    private transient RandomAccessFile file;
    private transient byte[] buffer;
    private transient int count;
    /** Set on deserialization: the first open truncates the file back to {@link #offset}. */
    private transient boolean restored;
    /** Bytes handed to the OS that have not been forced to disk yet. */
    private transient boolean unsynced;

    /** Starts a new, empty file at {@code path}. */
    public TransactionalFileOutputStream(String path) {
        this(path, false);
    }

    /**
     * Opens {@code path} for writing: a new, empty file, or with {@code append} the end of the existing one.
     *
     * @throws UncheckedIOException naming the file when it cannot be created
     */
    public TransactionalFileOutputStream(String path, boolean append) {
        Path resolved = WorkingDirectory.resolve(path);
        this.path = resolved.toString();
        try {
            if (append && Files.exists(resolved)) {
                this.offset = Files.size(resolved);
            } else {
                Files.newOutputStream(resolved).close(); // create or truncate
                this.offset = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open output file " + resolved + ": " + e, e);
        }
    }

    /** The absolute path this stream writes. */
    public final String path() {
        return path;
    }

    /** How many bytes the file holds from this stream once flushed: where the next write goes. */
    public final long offset() {
        return offset;
    }

    @Override
    public void write(int b) throws IOException {
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        } else if (count == buffer.length) {
            flushBuffer();
        }
        buffer[count++] = (byte) b;
        offset++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len >= BUFFER_SIZE) {
            flushBuffer();
            open().write(b, off, len);
            unsynced = true;
            offset += len;
            return;
        }
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        } else if (len > buffer.length - count) {
            flushBuffer();
        }
        System.arraycopy(b, off, buffer, count, len);
        count += len;
        offset += len;
    }

    @Override
    public void flush() throws IOException {
        flushBuffer();
    }

    /** Flushes and releases the file handle. The stream stays usable: the next write reopens the file. */
    @Override
    public void close() throws IOException {
        if (restored) {
            open(); // a restored stream owns the file from its recorded length on, even if it writes nothing more
        }
        flushBuffer();
        RandomAccessFile f = file;
        file = null;
        if (f != null) {
            f.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + path + " @ " + offset + "]";
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            open().write(buffer, 0, count);
            count = 0;
            unsynced = true;
        }
    }

    private RandomAccessFile open() throws IOException {
        if (file == null) {
            RandomAccessFile f = new RandomAccessFile(path, "rw");
            long start = offset - count;
            if (restored) {
                long length = f.length();
                if (length < start) {
                    f.close();
                    throw new IOException("Output file " + path + " holds " + length + " bytes but its snapshot"
                            + " recorded " + start + ": it was changed outside Ferry");
                }
                f.setLength(start); // drop what a crashed copy wrote after the snapshot
                restored = false;
            }
            f.seek(start);
            file = f;
        }
        return file;
    }

    /** Forces everything written so far to disk. */
    private void sync() throws IOException {
        flushBuffer();
        if (!unsynced) {
            return;
        }
        if (file != null) {
            file.getFD().sync();
        } else {
            try (FileChannel channel = FileChannel.open(Paths.get(path), StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        unsynced = false;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        sync();
        out.defaultWriteObject();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (offset < 0) {
            throw new InvalidObjectException("negative offset " + offset + " for " + path);
        }
        restored = true;
    }
}
