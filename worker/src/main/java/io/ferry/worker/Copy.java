package io.ferry.worker;

import java.io.IOException;
import java.time.Duration;

/**
 * One copy of a process: one generation of a pid on one node, in this JVM ({@link LocalCopy}) or in a worker JVM of
 * its own. The node's runner drives it from one thread, except {@link #suspend}, which any thread may call.
 *
 * <p>{@code suspend()} is never called after {@code run()} has returned on its own: which of the two went first is
 * decided once per run, so "completed" and "suspended" cannot both be true.
 */
public interface Copy {
    /** The copy's JVM ended (the process ended it, ran out of memory, or was killed); the message says how. */
    final class Ended extends java.io.IOException {
        private static final long serialVersionUID = 1L;

        public Ended(String how) {
            super(how);
        }
    }

    /**
     * Builds the process: constructed from its args, or restored from {@code snapshot} when that is not null.
     *
     * @throws Unstartable saying why it cannot be built (unknown class, constructor threw, incompatible snapshot)
     * @throws Ended when the copy's JVM ended meanwhile
     */
    void start(Launch launch, byte[] snapshot) throws Unstartable, IOException, InterruptedException;

    /**
     * Begins the next {@code run()}: from now on a {@link #suspend} applies to it, even one that comes before the
     * thread that calls {@link #run} has got there. Never blocks.
     */
    void beginRun();

    /** Calls {@code run()} (begun, or begun now) and waits until it returns, throws, or the copy's JVM ends. */
    Ran run() throws IOException, InterruptedException;

    /** Calls {@code suspend()} (or {@code terminate()}) on another thread unless {@code run()} has returned; never blocks. */
    void suspend(boolean terminate);

    /**
     * Waits at most {@code timeout} for an outstanding {@code suspend()} to return. One still inside stays in force:
     * the next {@code run()}'s return then counts as a suspension.
     */
    void awaitSuspendCall(Duration timeout) throws IOException, InterruptedException;

    /** The process as bytes, as Java serialization writes it. */
    byte[] serialize() throws IOException, InterruptedException;

    /** The process's class, as a snapshot records it. */
    String className();

    /** Hands every byte the copy wrote to its files and forces them to disk; null, or what could not be written. */
    String sync() throws InterruptedException;

    /**
     * Whether the copy has a JVM of its own: ending it ends every thread the process started, where a copy in its
     * node's JVM can only be left to run.
     */
    boolean ownJvm();

    /** Gives up on a copy that does not return from {@code run()}: in a JVM of its own, the JVM is ended. */
    void abandon();

    /** Ends the copy: nothing it writes reaches a file any more, and what it holds is released. */
    void close();
}
