package io.ferry.examples;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileInputStream;
import io.ferry.api.TransactionalFileOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A process that reads its input file line by line and writes an output file; its last two arguments name them.
 * Subclasses say what to do with each line and at the end, keeping any state in serializable fields.
 */
abstract class LineProcess implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    private final String[] args;
    private final TransactionalFileInputStream in;
    private final TransactionalFileOutputStream out;
    private boolean done;
    /** Transient: a restored copy never inherits a pending suspend. */
    private transient volatile boolean suspending;

    /** Takes the input and output file names from the last two of {@code count} arguments. */
    LineProcess(String[] args, int count, String usage) {
        this.args = Arguments.require(args, count, usage);
        this.in = new TransactionalFileInputStream(args[count - 2]);
        this.out = new TransactionalFileOutputStream(args[count - 1]);
    }

    /** Handles one line (without its line terminator). */
    abstract void accept(String line, PrintStream output);

    /** Called once, at the end of the input. */
    void finish(PrintStream output) {}

    @Override
    @SuppressWarnings("deprecation") // DataInputStream.readLine reads byte by byte: the offset stays exact
    public final void run() {
        if (done) {
            return;
        }
        DataInputStream lines = new DataInputStream(in);
        PrintStream output = new PrintStream(out, false, StandardCharsets.ISO_8859_1);
        try {
            while (true) {
                if (suspending) {
                    suspending = false;
                    break;
                }
                String line = lines.readLine();
                if (line == null) {
                    finish(output);
                    done = true;
                    break;
                }
                accept(line, output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + in.path() + ": " + e.getMessage(), e);
        }
        Streams.release(output, out, in);
    }

    @Override
    public final void suspend() {
        suspending = true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + String.join(" ", args);
    }
}
