package io.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until Ctrl-C or SIGTERM, then closes its parts in the order given. */
final class Daemon {
    private Daemon() {}

    /**
     * The {@code /metrics} server the settings ask for ({@code ferry.metrics.port}), started and announced on
     * {@code out}, or null: before anything else starts, so that a bad setting stops nothing half-started.
     */
    static io.ferry.web.MetricsServer metrics(io.ferry.coordination.FerrySettings settings, PrintWriter out) {
        io.ferry.web.MetricsServer metrics = io.ferry.web.MetricsServer.fromSettings(settings);
        if (metrics != null) {
            out.println("metrics    " + metrics.url());
        }
        return metrics;
    }

    /** {@code parts}, after {@code first} when there is one. */
    static List<AutoCloseable> parts(AutoCloseable first, AutoCloseable... parts) {
        List<AutoCloseable> all = new java.util.ArrayList<>();
        if (first != null) {
            all.add(first);
        }
        all.addAll(List.of(parts));
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
