package io.ferry.api;

import java.io.Serializable;

/**
 * A process that Ferry can run, suspend, move to another machine and continue.
 *
 * <p>Implementations are constructed from {@code String[] args}. {@link #run()} does the work; after
 * {@link #suspend()} is called, {@code run()} returns at its next safe point, leaving all of its state in
 * (non-transient) fields so the object can be serialized and {@code run()} called again later, on this or
 * another machine, to continue where it stopped. File I/O goes through {@link TransactionalFileInputStream}
 * and {@link TransactionalFileOutputStream}, which carry their offsets with the object.
 *
 * <p>{@code suspend()} may either just set a flag and return, or wait until {@code run()} has returned (the
 * classic style); Ferry supports both. It never calls {@code suspend()} once {@code run()} has returned, and
 * waits for it with a deadline. {@code toString()} should describe the process: its class and arguments.
 */
public interface MigratableProcess extends Runnable, Serializable {

    /** Asks {@link #run()} to return at its next safe point, with all state kept in fields. */
    void suspend();

    /** Stops the process for good. By default the same as {@link #suspend()}: Ferry then drops the state. */
    default void terminate() {
        suspend();
    }
}
