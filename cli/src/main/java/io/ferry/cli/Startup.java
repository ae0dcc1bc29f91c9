package io.ferry.cli;

import io.ferry.coordination.Durations;
import io.ferry.coordination.FerryException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting for a part to come up at start-up. */
final class Startup {
    private Startup() {}

    /**
     * Returns once {@code ready} holds. The parts offer no notification for these one-off conditions, so this
     * looks every 10 ms, up to {@code timeout}.
     *
     * @throws FerryException "Timed out after ... waiting for {@code what}"
     */
    static void await(BooleanSupplier ready, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new FerryException("Timed out after " + Durations.format(timeout) + " waiting for " + what);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}
