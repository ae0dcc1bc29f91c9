package io.ferry.itests;

import io.ferry.api.MigratableProcess;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A test process that does nothing until suspended, like the benchmark's {@code Idle}: thousands cost parked
 * threads and no CPU. Args: {@code <name>}; copies of the same name inside {@code run()} are counted, so a test can
 * assert that a process never ran twice at once.
 */
public class ParkProcess implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    /** Copies inside run() right now, and the most ever seen, by name. */
    static final Map<String, AtomicInteger> ACTIVE = new ConcurrentHashMap<>();
    static final Map<String, Integer> MAX_ACTIVE = new ConcurrentHashMap<>();

    private final String name;
    private transient volatile boolean suspending;
    private transient volatile Thread runner;

    public ParkProcess(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ParkProcess <name>");
        }
        this.name = args[0];
    }

    @Override
    public void run() {
        AtomicInteger active = ACTIVE.computeIfAbsent(name, k -> new AtomicInteger());
        MAX_ACTIVE.merge(name, active.incrementAndGet(), Math::max);
        try {
            runner = Thread.currentThread();
            while (!suspending) {
                LockSupport.park(this);
            }
            suspending = false;
            runner = null;
        } finally {
            active.decrementAndGet();
        }
    }

    @Override
    public void suspend() {
        suspending = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Copies of {@code name} inside run() now. */
    static int active(String name) {
        AtomicInteger n = ACTIVE.get(name);
        return n == null ? 0 : n.get();
    }

    /** The most copies of {@code name} ever inside run() at once. */
    static int maxActive(String name) {
        return MAX_ACTIVE.getOrDefault(name, 0);
    }

    @Override
    public String toString() {
        return "ParkProcess " + name;
    }
}
