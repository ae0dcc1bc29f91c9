package io.ferry.examples;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileInputStream;
import io.ferry.api.TransactionalFileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code CpFile <inputFile> <outputFile>}: copies a file byte for byte, a chunk at a time. */
public class CpFile implements MigratableProcess {
    private static final long serialVersionUID = 1L;
    static final String USAGE = "usage: CpFile <inputFile> <outputFile>";
    private static final int CHUNK = 4096;

    private final String[] args;
    private final TransactionalFileInputStream in;
    private final TransactionalFileOutputStream out;
    private boolean done;
    private transient volatile boolean suspending;

    public CpFile(String[] args) {
        this.args = Arguments.require(args, 2, USAGE);
        this.in = new TransactionalFileInputStream(args[0]);
        this.out = new TransactionalFileOutputStream(args[1]);
    }

    @Override
    public void run() {
        if (done) {
            return;
        }
        byte[] chunk = new byte[CHUNK];
        try {
            while (true) {
                if (suspending) {
                    suspending = false;
                    break;
                }
                int n = in.read(chunk);
                if (n < 0) {
                    done = true;
                    break;
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + in.path() + " to " + out.path() + ": " + e.getMessage(), e);
        }
        Streams.release(null, out, in);
    }

    @Override
    public void suspend() {
        suspending = true;
    }

    @Override
    public String toString() {
        return "CpFile " + String.join(" ", args);
    }
}
