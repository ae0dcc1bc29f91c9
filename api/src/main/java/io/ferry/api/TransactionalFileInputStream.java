package io.ferry.api;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.RandomAccessFile;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An {@link InputStream} over a file that remembers how far the process has read, so that a process moved to
 * another machine (or restored from a snapshot) carries on reading at the same byte.
 *
 * <p>The path is resolved once, at construction, against the node's {@linkplain WorkingDirectory working
 * directory}; every node must see the file at that path (a shared filesystem). The open file handle is
 * transient and opened lazily, so the stream can be serialized at any time between reads. {@link #close()}
 * releases the handle only: the next read reopens the file at the remembered offset.
 *
 * <p>Reads are buffered internally, so byte-at-a-time readers such as {@code DataInputStream.readLine()} are
 * fast; the remembered offset is always the exact number of bytes handed to the caller, never what was read
 * ahead. Not thread-safe: a process reads a stream from one thread at a time.
 */
public class TransactionalFileInputStream extends InputStream implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int BUFFER_SIZE = 64 * 1024;

    private final String path;
    private long offset;

    private transient RandomAccessFile file;
    private transient byte[] buffer;
    private transient int position;
    private transient int limit;

    /**
     * Opens {@code path} for reading from its first byte.
     *
     * @throws UncheckedIOException wrapping a {@link FileNotFoundException} that names the file when it does not
     *     exist or is not a regular file
     */
    public TransactionalFileInputStream(String path) {
        Path resolved = WorkingDirectory.resolve(path);
        if (!Files.isRegularFile(resolved)) {
            throw new UncheckedIOException(new FileNotFoundException("No such input file: " + resolved));
        }
        this.path = resolved.toString();
    }

    /** The absolute path this stream reads. */
    public final String path() {
        return path;
    }

    /** How many bytes the process has read so far: where the next read starts. */
    public final long offset() {
        return offset;
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        offset++;
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == limit) {
            if (len >= BUFFER_SIZE) {
                // Large reads bypass the buffer.
                int n = open().read(b, off, len);
                if (n > 0) {
                    offset += n;
                }
                return n;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        offset += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        long buffered = limit - position;
        if (n <= buffered) {
            position += (int) n;
            offset += n;
            return n;
        }
        long remaining = Math.max(0, open().length() - offset);
        long skipped = Math.min(n, remaining);
        offset += skipped;
        discardBuffer();
        file.seek(offset);
        return skipped;
    }

    @Override
    public int available() throws IOException {
        long left = open().length() - offset;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    /** Releases the file handle. The stream stays usable: the next read reopens it at {@link #offset()}. */
    @Override
    public void close() throws IOException {
        discardBuffer();
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

    private boolean fill() throws IOException {
        RandomAccessFile f = open();
        if (buffer == null) {
            buffer = new byte[BUFFER_SIZE];
        }
        int n = f.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    private RandomAccessFile open() throws IOException {
        if (file == null) {
            RandomAccessFile f = new RandomAccessFile(path, "r");
            f.seek(offset);
            file = f;
            discardBuffer();
        }
        return file;
    }

    private void discardBuffer() {
        position = 0;
        limit = 0;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (offset < 0) {
            throw new java.io.InvalidObjectException("negative offset " + offset + " for " + path);
        }
        WorkingDirectory.checkRestored(path); // a node that confines files checks restored ones too
    }
}
