package io.ferry.testkit;

import io.ferry.api.OutputScope;
import io.ferry.api.WorkingDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One piece of process code (a constructor, {@code run()}, {@code suspend()}, a restore) on its own daemon thread,
 * bound to a sandbox and to the output scope of one copy of the process, as a node binds a process thread. Daemon, so that a thread stuck in
 * process code can be abandoned after a deadline without keeping the JVM alive.
 */
final class BoundThread<T> {
    /** Process code that may throw anything. */
    @FunctionalInterface
    interface Body<T> {
        T call() throws Exception;
    }

    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile T result;
    private volatile Throwable failure;

    private BoundThread(String name, Path dir, OutputScope files, ClassLoader loader, Body<T> body) {
        this.thread = new Thread(() -> {
            WorkingDirectory.bind(dir);
            OutputScope.bind(files);
            try {
                result = body.call();
            } catch (Throwable e) {
                failure = e;
            } finally {
                ended.countDown();
            }
        }, name);
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
    }

    static <T> BoundThread<T> start(String name, Path dir, OutputScope files, ClassLoader loader, Body<T> body) {
        BoundThread<T> bound = new BoundThread<>(name, dir, files, loader, body);
        bound.thread.start();
        return bound;
    }

    static BoundThread<Void> start(String name, Path dir, OutputScope files, ClassLoader loader, Runnable body) {
        return start(name, dir, files, loader, () -> {
            body.run();
            return null;
        });
    }

    /** Waits up to {@code nanos} for the body to end; true when it has. Zero just checks. */
    boolean awaitEnd(long nanos) {
        try {
            return ended.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + thread.getName(), e);
        }
    }

    boolean awaitEnd(Duration timeout) {
        return awaitEnd(timeout.toNanos());
    }

    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /** What the body returned; only once it has ended. */
    T result() {
        return result;
    }

    /** What the body threw, or null; only once it has ended. */
    Throwable failure() {
        return failure;
    }

    String name() {
        return thread.getName();
    }

    /** Where the thread is now, for a message about a process that does not stop. */
    String stack() {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : thread.getStackTrace()) {
            text.append("\n        at ").append(frame);
        }
        return text.toString();
    }
}
