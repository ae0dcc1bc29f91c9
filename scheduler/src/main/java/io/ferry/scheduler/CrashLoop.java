package io.ferry.scheduler;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import java.time.Duration;

/**
 * When a lost process is started again: one whose node died while running it, or whose own JVM ended (jvm
 * isolation). On a thread of its node a process can take the node down ({@code System.exit}, a runaway
 * allocation); placed again and again it would take every node down in turn, and in a JVM of its own it would
 * only end that JVM again and again. So a process lost {@link #attempts} times within {@link #window} is FAILED as a
 * crash loop,
 * and each restart after the first waits twice as long as the one before ({@link #firstDelay}, then double), the
 * way Nomad's and Kubernetes' restart policies back off. The first recovery is immediate. Everything is read from
 * the status history, so a new leader applies the same policy where the old one stopped.
 *
 * <p>A process that fails on its node is the node's to judge by its {@link io.ferry.coordination.RestartPolicy}
 * (RESTARTING, or FAILED once its restarts are used up); its delays here grow the same way, from the same setting.
 */
record CrashLoop(int attempts, Duration window, Duration firstDelay) {
    static final String ATTEMPTS = "ferry.restart.attempts";
    static final String WINDOW = "ferry.restart.window";
    static final String DELAY = "ferry.restart.delay";
    static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(5);

    CrashLoop {
        if (attempts < 1) {
            throw new IllegalArgumentException(ATTEMPTS + " must be at least 1, got " + attempts);
        }
    }

    static CrashLoop from(FerrySettings settings) {
        return new CrashLoop((int) settings.number(ATTEMPTS, 3), settings.duration(WINDOW, Duration.ofMinutes(10)),
                settings.duration(DELAY, Duration.ofSeconds(1)));
    }

    /** How many times the history shows the process lost within the window before {@code now}. */
    int losses(ProcessStatus s, long now) {
        int n = 0;
        for (Transition t : s.history()) {
            if (t.state() == ProcessState.LOST && now - t.at() <= window.toMillis()) {
                n++;
            }
        }
        return n;
    }

    /** Whether a process with {@code losses} recent losses has used up its attempts. */
    boolean exhausted(int losses) {
        return losses >= attempts;
    }

    /** The reason a crash-looping process is FAILED with; {@code last} is how it was lost the last time. */
    String reason(int losses, String last) {
        return "lost " + losses + " times within " + io.ferry.coordination.Durations.format(window)
                + (last == null ? "" : ", the last time as " + last) + ": a crash loop (" + ATTEMPTS + " is "
                + attempts + ")";
    }

    /**
     * When a process its node reported RESTARTING (its restart policy) may start again: the first restart after
     * {@link #firstDelay}, each later one after twice the one before, at most {@link #MAX_RESTART_DELAY}.
     */
    long restartAt(ProcessStatus restarting) {
        int shift = Math.min(20, Math.max(0, restarting.retries() - 1));
        return restarting.since() + Math.min(MAX_RESTART_DELAY.toMillis(), firstDelay.toMillis() << shift);
    }

    /** The earliest time a process lost at {@code lostAt}, with {@code losses} recent losses, may start again. */
    long notBefore(long lostAt, int losses) {
        return losses <= 1 || firstDelay.isZero() ? lostAt : lostAt + (firstDelay.toMillis() << Math.min(20, losses - 2));
    }
}
