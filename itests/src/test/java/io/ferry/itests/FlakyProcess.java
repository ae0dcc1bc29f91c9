package io.ferry.itests;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileOutputStream;
import io.ferry.api.WorkingDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes {@code tick 0..count-1} like {@link TickProcess}, but its first {@code failures} runs throw part-way, each
 * further on. A run is a life of one copy: from its construction or restore to its end (a checkpoint suspends the
 * copy and calls run() again: the same run). It counts its runs in {@code <out>.runs}, a plain file outside
 * Ferry's streams, so the count survives every restart from a snapshot. Args: {@code <failures> <count> <out>}.
 */
public class FlakyProcess implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    private final int failures;
    private final int count;
    private final TransactionalFileOutputStream out;
    private final String runs;
    private int next;
    private volatile boolean suspending;
    /** This copy's run, 0 until counted: a restored copy counts a new one. */
    private transient int run;

    public FlakyProcess(String[] args) {
        this.failures = Integer.parseInt(args[0]);
        this.count = Integer.parseInt(args[1]);
        this.out = new TransactionalFileOutputStream(args[2]);
        this.runs = WorkingDirectory.resolve(args[2] + ".runs").toString();
    }

    @Override
    public void run() {
        if (run == 0) {
            run = countRun();
        }
        int failAt = run <= failures ? count * run / (failures + 2) : -1;
        PrintStream print = new PrintStream(out);
        while (!suspending && next < count) {
            if (next == failAt) {
                print.flush();
                throw new IllegalStateException("flaky failure " + run + " at tick " + next);
            }
            print.println("tick " + next);
            next++;
            LockSupport.parkNanos(200_000);
        }
        print.flush();
        suspending = false;
    }

    /** This run's number, from 1: one more than the file says. */
    private int countRun() {
        try {
            Path file = Path.of(runs);
            int run = (Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0) + 1;
            Files.writeString(file, Integer.toString(run), StandardCharsets.US_ASCII);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times a process writing {@code out} has begun run(). */
    static int runs(Path out) throws IOException {
        Path file = Path.of(out + ".runs");
        return Files.exists(file) ? Integer.parseInt(Files.readString(file).trim()) : 0;
    }

    @Override
    public void suspend() {
        suspending = true;
    }
}
