package io.ferry.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until Ctrl-C or SIGTERM, then closes its parts in the order given. */
final class Daemon {
    private Daemon() {}

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
