package io.ferry.api;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link TransactionalFileOutputStream}s of one copy of a running process, as the node that runs it sees them.
 * Processes never use this class; a node (or a test kit that judges processes the way a node runs them) opens one
 * scope per copy and {@linkplain #bind binds} it to the threads that construct, restore and run the process.
 *
 * <p>A stream made or restored under a scope buffers its writes and hands them to the OS within the scope's flush
 * delay, so a file grows while its process runs. {@link #sync()} flushes every stream of the scope and forces every
 * file they wrote to disk: a node calls it before it reports a process COMPLETED or FAILED. {@link #close()} ends
 * the copy: from then on its streams refuse to write, so a copy that was moved, completed or discarded (or a
 * thread it left behind) cannot touch files that another copy now owns. A stream made with no scope bound (a
 * plain JVM, a unit test) writes every byte through to the file at once, as the classic streams did.
 *
 * <p>Thread-safe.
 */
public final class OutputScope implements AutoCloseable {
    private static final InheritableThreadLocal<OutputScope> CURRENT = new InheritableThreadLocal<>();

    private final Duration flushDelay;
    /** Streams holding buffered bytes; held strongly so that unflushed output is never garbage-collected. */
    private final Set<TransactionalFileOutputStream> buffered = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Files given bytes since they were last forced to disk; paths, so that no stream is kept alive for them. */
    private final Set<String> unforced = new LinkedHashSet<>();
    private volatile boolean closed;

    private OutputScope(Duration flushDelay) {
        this.flushDelay = flushDelay;
    }

    /**
     * A new scope whose streams hand buffered bytes to the OS at most {@code flushDelay} after they were written.
     *
     * @throws IllegalArgumentException if the delay is not positive
     */
    public static OutputScope open(Duration flushDelay) {
        Objects.requireNonNull(flushDelay, "flushDelay");
        if (flushDelay.isNegative() || flushDelay.isZero()) {
            throw new IllegalArgumentException("flush delay must be positive, got " + flushDelay);
        }
        return new OutputScope(flushDelay);
    }

    /** Binds {@code scope} to the calling thread and the threads it starts from now on; {@code null} unbinds. */
    public static void bind(OutputScope scope) {
        if (scope == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(scope);
        }
    }

    /** The scope bound to this thread, or null in a plain JVM. */
    static OutputScope current() {
        return CURRENT.get();
    }

    /** How long written bytes may stay in a stream's buffer. */
    public Duration flushDelay() {
        return flushDelay;
    }

    /** Whether the copy has ended: its streams refuse to write. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Hands every buffered byte of this scope's streams to the OS and forces every file they wrote to disk.
     *
     * @throws IOException naming the file that could not be written or forced
     */
    public void sync() throws IOException {
        List<TransactionalFileOutputStream> streams;
        synchronized (this) {
            streams = new ArrayList<>(buffered);
        }
        for (TransactionalFileOutputStream stream : streams) {
            stream.flush();
        }
        List<String> paths;
        synchronized (this) {
            paths = new ArrayList<>(unforced);
            unforced.clear();
        }
        for (int i = 0; i < paths.size(); i++) {
            try (FileChannel channel = FileChannel.open(Paths.get(paths.get(i)), StandardOpenOption.WRITE)) {
                channel.force(true);
            } catch (IOException e) {
                synchronized (this) {
                    unforced.addAll(paths.subList(i, paths.size()));
                }
                throw new IOException("Cannot force output file " + paths.get(i) + " to disk: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Ends this copy: buffered bytes are dropped and every stream of the scope refuses to write from now on. Call
     * {@link #sync()} first to keep what was written.
     */
    @Override
    public void close() {
        closed = true;
        List<TransactionalFileOutputStream> streams;
        synchronized (this) {
            streams = new ArrayList<>(buffered);
            buffered.clear();
        }
        for (TransactionalFileOutputStream stream : streams) {
            stream.discardBuffer();
        }
    }

    /** Called by a stream that has buffered bytes with no flush due yet: one is now due after the delay. */
    void buffering(TransactionalFileOutputStream stream) {
        synchronized (this) {
            buffered.add(stream);
        }
        Flusher.INSTANCE.schedule(stream, flushDelay);
    }

    /** Called by a stream whose due flush has come. */
    synchronized void due(TransactionalFileOutputStream stream) {
        buffered.remove(stream);
    }

    /** Called by a stream that has handed bytes to the OS for {@code path}. */
    synchronized void wrote(String path) {
        unforced.add(path);
    }

    @Override
    public String toString() {
        return "OutputScope[flush within " + flushDelay.toMillis() + " ms" + (closed ? ", closed" : "") + "]";
    }

    /**
     * The one thread that hands buffered bytes to the OS when their delay is up, for every scope of the JVM. It is
     * created up front, with no inherited thread-locals, so it carries no process's working directory or output.
     */
    private static final class Flusher implements Runnable {
        static final Flusher INSTANCE = new Flusher();

        private final java.util.concurrent.DelayQueue<Due> queue = new java.util.concurrent.DelayQueue<>();

        private Flusher() {
            Thread thread = new Thread(null, this, "ferry-output-flusher", 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            thread.start();
        }

        void schedule(TransactionalFileOutputStream stream, Duration delay) {
            queue.put(new Due(stream, System.nanoTime() + delay.toNanos()));
        }

        @Override
        public void run() {
            while (true) {
                Due due;
                try {
                    due = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    due.stream.flushDue();
                } catch (IOException | RuntimeException e) {
                    // the process meets the same error on its next write, flush or snapshot, where it is reported
                }
            }
        }
    }

    private record Due(TransactionalFileOutputStream stream, long atNanos) implements java.util.concurrent.Delayed {
        @Override
        public long getDelay(java.util.concurrent.TimeUnit unit) {
            return unit.convert(atNanos - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed other) {
            return Long.compare(atNanos, ((Due) other).atNanos);
        }
    }
}
