package io.ferry.node;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker JVMs started ahead of need, so a launch or a migration in jvm isolation does not wait for a JVM to start.
 * Keeps {@code size} idle workers with the node's default heap; one with another heap is started when asked for.
 * Workers are used once: a copy's JVM ends with the copy.
 */
final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final int size;
    private final long defaultMemory;
    /**
     * How long after a worker is taken its replacement starts: a JVM's start and warm-up take a core for about a
     * second, and on a small machine they would slow the very start or move that took the worker.
     */
    static final long REFILL_DELAY_MS = 250;

    private final ScheduledExecutorService starter;
    private final ConcurrentLinkedQueue<WorkerJvm> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger starting = new AtomicInteger();
    private volatile boolean closed;

    /** @param starter the thread that starts workers ahead of need */
    WorkerPool(int size, long defaultMemory, ScheduledExecutorService starter) {
        this.size = size;
        this.defaultMemory = defaultMemory;
        this.starter = starter;
    }

    /** Starts filling the pool, once the workers' class-data archive is built (the first time: a second or two). */
    void start() {
        if (size > 0) {
            try {
                starter.execute(WorkerArchive::build);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                return;
            }
        }
        refill(0);
    }

    /** A started worker with a heap of {@code memoryBytes}: an idle one when there is one, else a new one. */
    WorkerJvm take(long memoryBytes) throws IOException {
        if (memoryBytes == defaultMemory) {
            WorkerJvm w;
            while ((w = idle.poll()) != null) {
                refill(REFILL_DELAY_MS);
                if (w.isAlive()) {
                    return w;
                }
                w.cleanUp(); // ended while it waited (killed by someone): start another
            }
        }
        refill(REFILL_DELAY_MS);
        return WorkerJvm.start(memoryBytes, false); // wanted now: no warm-up
    }

    /** How many started workers wait for a process. */
    int idle() {
        return idle.size();
    }

    /** Starts, {@code delayMs} from now, as many workers as the pool is short of (counting those on their way). */
    private void refill(long delayMs) {
        while (!closed && idle.size() + starting.get() < size) {
            starting.incrementAndGet();
            try {
                starter.schedule(this::startOne, delayMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                starting.decrementAndGet();
                return;
            }
        }
    }

    private void startOne() {
        try {
            WorkerJvm w = WorkerJvm.start(defaultMemory, true);
            idle.add(w);
            if (closed) {
                drain();
            }
        } catch (IOException e) {
            LOG.warn("Could not start a worker JVM for the pool: {}", e.getMessage());
        } finally {
            starting.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        starter.shutdownNow();
        drain();
    }

    private void drain() {
        WorkerJvm w;
        while ((w = idle.poll()) != null) {
            w.kill();
            w.cleanUp();
        }
    }
}
