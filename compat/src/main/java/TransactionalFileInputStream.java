import java.io.File;
import java.io.IOException;

/**
 * The classic, default-package input stream: Ferry's {@link io.ferry.api.TransactionalFileInputStream} plus the
 * helpers classic processes call. No constructor or method here throws a checked exception except {@code read}.
 */
public class TransactionalFileInputStream extends io.ferry.api.TransactionalFileInputStream {
    private static final long serialVersionUID = 1L;

    private boolean migrated;

    public TransactionalFileInputStream(String path) {
        super(path);
    }

    public TransactionalFileInputStream(File file) {
        super(file.getPath());
    }

    /** Marks the stream as moved: the handle is released and reopened at the remembered offset on next read. */
    public void setMigrated(boolean migrated) {
        this.migrated = migrated;
        if (migrated) {
            closeStream();
        }
    }

    public boolean getMigrated() {
        return migrated;
    }

    /** Releases the file handle; the stream stays usable. */
    public void closeStream() {
        try {
            close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
    }

    public String getFileName() {
        return path();
    }
}
