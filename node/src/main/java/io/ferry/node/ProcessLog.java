package io.ferry.node;

import io.ferry.coordination.LogStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one process prints on this node, buffered and appended to its log in ZooKeeper in chunks: when a chunk
 * fills, a short while after the first bytes since the last shipment, and when the runner ends. A process that
 * prints nothing costs nothing. Writes never block the process on ZooKeeper; if the buffer outgrows what can be
 * shipped, the excess is dropped and the drop is noted in the log.
 */
final class ProcessLog {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessLog.class);
    private static final int MAX_BUFFERED = 16 * LogStore.CHUNK;
    /** How long printed bytes may wait to be shipped with more. */
    private static final long FLUSH_MS = 250;

    private final LogStore store;
    private final String pid;
    private final Executor shipper;
    private final ScheduledExecutorService timer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    /** A line from Ferry that goes out ahead of the process's next output. */
    private byte[] note;
    private long dropped;
    private long bytesSinceTrim;
    private boolean shipping;
    private boolean flushScheduled;

    ProcessLog(LogStore store, String pid, Executor shipper, ScheduledExecutorService timer) {
        this.store = store;
        this.pid = pid;
        this.shipper = shipper;
        this.timer = timer;
    }

    /**
     * A line from Ferry itself, such as where a generation starts. It is logged just before what the process prints
     * next, so a log holds a generation's line only when that generation printed something.
     */
    synchronized void note(String line) {
        note = ("[ferry] " + line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
    }

    synchronized void write(byte[] b, int off, int len) {
        if (note != null) {
            byte[] line = note;
            note = null;
            write(line, 0, line.length);
        }
        if (buffer.size() + len > MAX_BUFFERED) {
            dropped += len;
            return;
        }
        buffer.write(b, off, len);
        if (buffer.size() >= LogStore.CHUNK) {
            flush();
        } else if (!flushScheduled) {
            try {
                timer.schedule(this::flushLater, FLUSH_MS, TimeUnit.MILLISECONDS);
                flushScheduled = true;
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                flush(); // the node is stopping: ship now, or drop if that too is closed
            }
        }
    }

    private synchronized void flushLater() {
        flushScheduled = false;
        flush();
    }

    /** Ships what is buffered, in the background. */
    synchronized void flush() {
        if (shipping || (buffer.size() == 0 && dropped == 0)) {
            return;
        }
        try {
            shipper.execute(this::ship);
            shipping = true;
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the node has stopped: what the process still prints has nowhere to go
            dropped += buffer.size();
            buffer.reset();
        }
    }

    /**
     * Ships everything buffered and waits until it is stored (or {@code timeoutMs} passes), so that output printed
     * before a move comes before what the next copy prints.
     */
    void drain(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (this) {
            flush();
            while (shipping) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }
    }

    private void ship() {
        while (true) {
            byte[] chunk;
            synchronized (this) {
                if (dropped > 0) {
                    byte[] note = ("[ferry] " + dropped + " bytes of output dropped: printing faster than they can"
                            + " be stored" + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
                    buffer.write(note, 0, note.length);
                    dropped = 0;
                }
                if (buffer.size() == 0) {
                    shipping = false;
                    notifyAll();
                    return;
                }
                byte[] all = buffer.toByteArray();
                int n = Math.min(all.length, LogStore.CHUNK);
                chunk = java.util.Arrays.copyOf(all, n);
                buffer.reset();
                buffer.write(all, n, all.length - n);
            }
            try {
                store.append(pid, chunk);
                bytesSinceTrim += chunk.length;
                if (bytesSinceTrim >= store.trimEvery()) {
                    store.trim(pid);
                    bytesSinceTrim = 0;
                }
            } catch (Exception e) {
                LOG.debug("{}: could not store {} bytes of output: {}", pid, chunk.length, e.toString());
                synchronized (this) {
                    dropped += chunk.length;
                    shipping = false;
                    notifyAll();
                }
                return;
            }
        }
    }
}
