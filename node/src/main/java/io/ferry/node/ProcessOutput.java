package io.ferry.node;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Sends what each process prints to its own log. Installed once per JVM in place of {@code System.out} and
 * {@code System.err}: a write goes to the {@link ProcessLog} bound to the writing thread (inherited by the threads a
 * process starts), or to the original stream when none is bound, as for Ferry's own logging.
 */
final class ProcessOutput extends OutputStream {
    private static final InheritableThreadLocal<ProcessLog> CURRENT = new InheritableThreadLocal<>();
    private static boolean installed;

    private final PrintStream original;

    private ProcessOutput(PrintStream original) {
        this.original = original;
    }

    /** Replaces {@code System.out} and {@code System.err}, once per JVM. */
    static synchronized void install() {
        if (!installed) {
            System.setOut(new PrintStream(new ProcessOutput(System.out), true));
            System.setErr(new PrintStream(new ProcessOutput(System.err), true));
            installed = true;
        }
    }

    /** The log bound to this thread, or null. */
    static ProcessLog bound() {
        return CURRENT.get();
    }

    /** Binds {@code log} to this thread (and threads it starts from now on); null unbinds. */
    static void bind(ProcessLog log) {
        if (log == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(log);
        }
    }

    @Override
    public void write(int b) {
        ProcessLog log = CURRENT.get();
        if (log != null) {
            log.write(new byte[] {(byte) b}, 0, 1);
        } else {
            original.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ProcessLog log = CURRENT.get();
        if (log != null) {
            log.write(b, off, len);
        } else {
            original.write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (CURRENT.get() == null) {
            original.flush();
        }
    }
}
