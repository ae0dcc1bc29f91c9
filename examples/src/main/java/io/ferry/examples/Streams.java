package io.ferry.examples;

import io.ferry.api.TransactionalFileInputStream;
import io.ferry.api.TransactionalFileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** What every example does at the end of each run(): release its file handles, and surface write errors. */
final class Streams {
    private Streams() {}

    /**
     * Closes the streams (they stay usable: the next run() reopens them where they left off). A
     * {@code PrintStream} swallows I/O errors, so a write that failed through {@code output} is reported here: by
     * the output stream's own close() when it can say why, else with the file's name.
     *
     * @param output the wrapper that was written through, or null
     * @param in the input stream, or null
     */
    static void release(PrintStream output, TransactionalFileOutputStream out, TransactionalFileInputStream in) {
        boolean failed = output != null && output.checkError(); // flushes it too
        try {
            if (in != null) {
                in.close();
            }
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (failed) {
            throw new UncheckedIOException(new IOException("Cannot write " + out.path()));
        }
    }
}
