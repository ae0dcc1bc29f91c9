package io.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until Ctrl-C or SIGTERM, then closes its parts in the order given. */
final class Daemon {
    private Daemon() {}

    /**
     * {@code parts}, after the {@code /metrics} server the settings ask for ({@code ferry.metrics.port}), started
     * and announced on {@code out}; closes {@code parts} if it cannot start.
     */
    static List<AutoCloseable> withMetrics(io.ferry.coordination.FerrySettings settings, PrintWriter out,
            List<AutoCloseable> parts) {
        io.ferry.web.MetricsServer metrics;
        try {
            metrics = io.ferry.web.MetricsServer.fromSettings(settings);
        } catch (RuntimeException e) {
            for (AutoCloseable part : parts) {
                try {
                    part.close();
                } catch (Exception ignored) {
                    // failing already
                }
            }
            throw e;
        }
        if (metrics == null) {
            return parts;
        }
        out.println("metrics    " + metrics.url());
        List<AutoCloseable> all = new java.util.ArrayList<>();
        all.add(metrics);
        all.addAll(parts);
        return all;
    }

    /** Blocks until the JVM is asked to stop; the shutdown hook closes {@code parts} and says so on {@code out}. */
    static int runUntilStopped(PrintWriter out, String what, List<? extends AutoCloseable> parts) {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping " + what + "...");
            out.flush();
            for (AutoCloseable part : parts) {
                try {
                    part.close();
                } catch (Exception e) {
                    out.println("ferry: while stopping " + part + ": " + Ferry.message(e));
                }
            }
            out.println(what + " stopped.");
            out.flush();
            closed.countDown();
        }, "ferry-shutdown"));
        while (true) {
            try {
                closed.await();
                return 0;
            } catch (InterruptedException e) {
                // only the shutdown hook ends a daemon
            }
        }
    }
}
