package io.ferry.itests;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileOutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A test process that writes lines {@code 0..count-1} to a file, pacing itself (part of its behaviour, like any
 * long-running job), so that tests can suspend, migrate and kill it mid-run. Args: {@code <count> <out> [pace-us]}.
 */
public class TickProcess implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    /** Copies inside run() right now, and the most ever seen, by output file: a test of "at most one copy runs". */
    static final Map<String, AtomicInteger> ACTIVE = new ConcurrentHashMap<>();
    static final Map<String, Integer> MAX_ACTIVE = new ConcurrentHashMap<>();

    private final int count;
    private final long paceNanos;
    private final TransactionalFileOutputStream out;
    /** A file that must exist before it writes its second half, so a test decides when it may end. */
    private final String gate;
    private int next;
    private volatile boolean suspending;

    public TickProcess(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: TickProcess <count> <outputFile> [pace-microseconds [gate]]");
        }
        this.count = Integer.parseInt(args[0]);
        this.out = new TransactionalFileOutputStream(args[1]);
        this.paceNanos = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 200_000;
        this.gate = args.length > 3 ? io.ferry.api.WorkingDirectory.resolve(args[3]).toString() : null;
    }

    @Override
    public void run() {
        AtomicInteger active = ACTIVE.computeIfAbsent(out.path(), k -> new AtomicInteger());
        MAX_ACTIVE.merge(out.path(), active.incrementAndGet(), Math::max);
        try {
            PrintStream print = new PrintStream(out);
            while (!suspending && next < count) {
                if (gate != null && next >= count / 2 && !java.nio.file.Files.exists(java.nio.file.Path.of(gate))) {
                    LockSupport.parkNanos(1_000_000); // held at half-way until the test opens the gate
                    continue;
                }
                print.println("tick " + next);
                next++;
                LockSupport.parkNanos(paceNanos);
            }
            print.flush();
            suspending = false;
        } finally {
            active.decrementAndGet();
        }
    }

    /** The most copies of the process writing {@code out} that were ever inside run() at once. */
    static int maxConcurrentRuns(java.nio.file.Path out) {
        return MAX_ACTIVE.getOrDefault(out.toAbsolutePath().normalize().toString(), 0);
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

    @Override
    public String toString() {
        return "TickProcess " + count + " " + out.path();
    }
}
