package io.ferry.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.api.MigratableProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy in this JVM: built from args or bytes, run, suspended and serialized; suspend() is never called once run()
 * has returned on its own, so a run that ends is either completed or suspended, never both.
 */
class LocalCopyTest {
    @TempDir
    Path dir;
    final ExecutorService helpers = Executors.newCachedThreadPool();
    final ExecutorService runs = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        helpers.shutdownNow();
        runs.shutdownNow();
    }

    /** Counts up until suspended; its count survives serialization. */
    public static class Counter implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger SUSPENDS = new AtomicInteger();
        long count;
        private transient volatile boolean suspending;

        public Counter(String[] args) {
            count = Long.parseLong(args[0]);
        }

        @Override
        public void run() {
            while (!suspending && count < Long.MAX_VALUE) {
                count++;
                LockSupport.parkNanos(100_000); // its pace
            }
            suspending = false; // for the next run(), as PROCESS-AUTHORS.md shows
        }

        @Override
        public void suspend() {
            SUSPENDS.incrementAndGet();
            suspending = true;
        }
    }

    /** Returns at once. */
    public static class Quick implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger SUSPENDS = new AtomicInteger();

        @Override
        public void run() {}

        @Override
        public void suspend() {
            SUSPENDS.incrementAndGet();
        }
    }

    /** Throws from run(). */
    public static class Throws implements MigratableProcess {
        private static final long serialVersionUID = 1L;

        @Override
        public void run() {
            throw new IllegalStateException("boom");
        }

        @Override
        public void suspend() {}
    }

    private LocalCopy copy() {
        return new LocalCopy("p-1", new Loading(getClass().getClassLoader()), helpers, Duration.ofMillis(100),
                LocalCopy.Context.NONE);
    }

    private Launch launch(Class<?> type, String... args) {
        return new Launch("t", type.getName(), List.of(args), List.of(), dir.toString());
    }

    @Test
    void aSuspendedCopyIsSerializedAndAnotherGoesOnFromItsBytes() throws Exception {
        LocalCopy first = copy();
        first.start(launch(Counter.class, "5"), null);
        Future<Ran> ran = runs.submit(first::run);
        await().atMost(Duration.ofSeconds(10)).until(() -> !ran.isDone());
        first.suspend(false);

        assertThat(ran.get()).isEqualTo(Ran.SUSPENDED);
        byte[] bytes = first.serialize();
        assertThat(first.className()).isEqualTo(Counter.class.getName());
        first.close();

        LocalCopy second = copy();
        second.start(launch(Counter.class, "0"), bytes);
        Future<Ran> again = runs.submit(second::run);
        second.suspend(false); // may land before run() starts: then the next suspend() below stops it
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            second.suspend(false);
            return again.isDone();
        });
        assertThat(again.get()).isEqualTo(Ran.SUSPENDED);
        Counter restored = (Counter) new Loading(getClass().getClassLoader())
                .deserialize(second.serialize(), Counter.class.getName(), getClass().getClassLoader());
        assertThat(restored.count).isGreaterThan(5);
    }

    @Test
    void aSuspendThatComesBeforeItsRunHasStartedStillStopsThatRun() throws Exception {
        LocalCopy c = copy();
        c.start(launch(Counter.class, "0"), null);

        c.beginRun();
        c.suspend(false); // the node asked at once; the thread that runs it has not got there yet
        c.awaitSuspendCall(Duration.ofSeconds(5));

        assertThat(runs.submit(c::run).get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Ran.SUSPENDED);
    }

    @Test
    void aRunThatReturnedOnItsOwnCompletedAndItsSuspendIsNeverCalled() throws Exception {
        LocalCopy c = copy();
        c.start(launch(Quick.class), null);
        int before = Quick.SUSPENDS.get();

        assertThat(c.run()).isEqualTo(Ran.COMPLETED);
        c.suspend(false);
        c.awaitSuspendCall(Duration.ofSeconds(5));

        assertThat(Quick.SUSPENDS.get()).isEqualTo(before);
    }

    @Test
    void aRunThatThrowsSaysWhatItThrew() throws Exception {
        LocalCopy c = copy();
        c.start(launch(Throws.class), null);

        assertThat(c.run()).isEqualTo(new Ran(Ran.Outcome.THREW, "IllegalStateException: boom"));
    }

    @Test
    void whatCannotBeBuiltSaysWhyInOneLine() {
        assertThatThrownBy(() -> copy().start(launch(String.class), null)).isInstanceOf(Unstartable.class)
                .hasMessage("java.lang.String is not a MigratableProcess");
        assertThatThrownBy(() -> copy().start(new Launch("t", "NoSuchThing", List.of(), List.of(), dir.toString()),
                null)).hasMessage("Unknown class NoSuchThing (is it on the classpath? use --classpath)");
        assertThatThrownBy(() -> copy().start(launch(Counter.class, "not-a-number"), null))
                .hasMessage("NumberFormatException: For input string: \"not-a-number\"");
        assertThatThrownBy(() -> copy().start(launch(Counter.class), new byte[] {1, 2, 3}))
                .hasMessageStartingWith("Cannot restore snapshot: ");
    }
}
