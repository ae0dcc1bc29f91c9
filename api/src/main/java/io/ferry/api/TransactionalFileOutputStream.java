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
 * write reopens the file where the stream left off.
 *
 * <p>A process never needs to flush or close the stream. On a Ferry node every write is in the file (handed to the
 * OS) within the node's flush delay, one second by default, and everything is forced to disk before the process
 * is reported COMPLETED or FAILED (see {@link OutputScope}). Outside a node, in a plain JVM, every write goes
 * straight to the file, as the classic streams' did. Thread-safe; a process should still write from one thread.
 */
public class TransactionalFileOutputStream extends OutputStream implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int BUFFER_SIZE = 64 * 1024;

    private final String path;
    /** Bytes the process has written, buffered ones included: the file's length once flushed. */
    private long offset;

    /** The copy of the process this stream belongs to; null in a plain JVM, where every write goes through. */
    private transient OutputScope scope;
    private transient RandomAccessFile file;
    private transient byte[] buffer;
    private transient int count;
    /** A flush is due: the scope's flusher holds this stream and empties the buffer when the delay is up. */
    private transient boolean queued;
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
        this.scope = OutputScope.current();
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
    public synchronized void write(int b) throws IOException {
        if (scope == null) {
            open().write(b);
            written();
            offset++;
            return;
        }
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        } else if (count == buffer.length) {
            flushBuffer();
        }
        buffer[count++] = (byte) b;
        offset++;
        queueFlush();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (scope == null || len >= BUFFER_SIZE) {
            flushBuffer();
            open().write(b, off, len);
            written();
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
        queueFlush();
    }

    @Override
    public synchronized void flush() throws IOException {
        flushBuffer();
    }

    /** Flushes and releases the file handle. The stream stays usable: the next write reopens the file. */
    @Override
    public synchronized void close() throws IOException {
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

    private void queueFlush() {
        if (!queued) {
            queued = true;
            scope.buffering(this);
        }
    }

    /** The scope's flush delay is up: hand the buffer to the OS. */
    synchronized void flushDue() throws IOException {
        queued = false;
        scope.due(this);
        flushBuffer();
    }

    /** The scope has closed: what is buffered belongs to a copy that no longer owns the file. */
    synchronized void discardBuffer() {
        offset -= count;
        count = 0;
    }

    private void flushBuffer() throws IOException {
        if (count > 0) {
            open().write(buffer, 0, count);
            count = 0;
            written();
        }
    }

    /** Bytes went to the OS: they are owed a force to disk at the next snapshot, and at the scope's sync. */
    private void written() {
        unsynced = true;
        if (scope != null) {
            scope.wrote(path);
        }
    }

    private RandomAccessFile open() throws IOException {
        if (scope != null && scope.isClosed()) { // fenced: see OutputScope
            throw new IOException("Output file " + path + " is no longer this copy's to write: the process was moved,"
                    + " completed or stopped (a thread it started is still writing)");
        }
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

    private synchronized void writeObject(ObjectOutputStream out) throws IOException {
        sync();
        out.defaultWriteObject();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (offset < 0) {
            throw new InvalidObjectException("negative offset " + offset + " for " + path);
        }
        WorkingDirectory.checkRestored(path); // a node that confines files checks restored ones too
        restored = true;
        scope = OutputScope.current();
    }
}
