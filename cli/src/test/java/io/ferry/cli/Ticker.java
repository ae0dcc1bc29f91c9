package io.ferry.cli;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileOutputStream;
import io.ferry.api.WorkingDirectory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * A test process for the end-to-end tests, launched with {@code --classpath} pointing at the test classes: writes
 * lines {@code tick 0..count-1} to a file, pacing itself so that tests can act on it mid-run. Given a release
 * file, it paces only until that file exists, then runs to the end at full speed: a test decides when it ends
 * without changing what it writes. It never flushes its output, as most classic processes do not. Each copy
 * writes the pid of the JVM it runs in to {@code <out>.jvm}. Args: {@code <count> <out> [pace-ms [release-file]]}.
 */
public class Ticker implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    private final int count;
    private final long paceNanos;
    private final TransactionalFileOutputStream out;
    private final String release;
    private final String jvmFile;
    private int next;
    private volatile boolean suspending;

    public Ticker(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: Ticker <count> <out> [pace-ms]");
        }
        this.count = Integer.parseInt(args[0]);
        this.out = new TransactionalFileOutputStream(args[1]);
        this.jvmFile = WorkingDirectory.resolve(args[1] + ".jvm").toString();
        this.paceNanos = (args.length > 2 ? Long.parseLong(args[2]) : 10) * 1_000_000;
        this.release = args.length > 3 ? WorkingDirectory.resolve(args[3]).toString() : null;
    }

    @Override
    public void run() {
        try {
            Files.writeString(Path.of(jvmFile), String.valueOf(ProcessHandle.current().pid()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PrintStream print = new PrintStream(out);
        while (!suspending && next < count) {
            print.println("tick " + next);
            next++;
            if (next % 1000 == 0) {
                System.out.println("ticked " + next); // what a process prints goes to its log
            }
            if (release == null || !Files.exists(Path.of(release))) {
                LockSupport.parkNanos(paceNanos);
            }
        }
        suspending = false; // no flush: like most classic processes, it counts on every write reaching the file
    }

    @Override
    public void suspend() {
        suspending = true;
    }

    /** What the output must be. */
    static String expected(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append("tick ").append(i).append(System.lineSeparator());
        }
        return b.toString();
    }
}
