import java.io.File;
import java.io.IOException;

/**
 * The classic, default-package output stream: Ferry's {@link io.ferry.api.TransactionalFileOutputStream} plus the
 * helpers classic processes call. No constructor or method here throws a checked exception except {@code write}.
 */
public class TransactionalFileOutputStream extends io.ferry.api.TransactionalFileOutputStream {
    private static final long serialVersionUID = 1L;

    private boolean migrated;

    public TransactionalFileOutputStream(String path) {
        super(path);
    }

    public TransactionalFileOutputStream(String path, boolean append) {
        super(path, append);
    }

    public TransactionalFileOutputStream(File file) {
        super(file.getPath());
    }

    public TransactionalFileOutputStream(File file, boolean append) {
        super(file.getPath(), append);
    }

    /** Marks the stream as moved: the handle is flushed and released, and reopened where it left off. */
    public void setMigrated(boolean migrated) {
        this.migrated = migrated;
        if (migrated) {
            closeStream();
        }
    }

    public boolean getMigrated() {
        return migrated;
    }

    /** Flushes and releases the file handle; the stream stays usable. */
    public void closeStream() {
        try {
            close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String getFileName() {
        return path();
    }
}
