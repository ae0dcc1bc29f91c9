package io.ferry.itests;

import io.ferry.api.MigratableProcess;
import java.util.concurrent.locks.LockSupport;

/** {@code Hoarder}: holds a small array and parks until suspended; its snapshot is the one a forger edits. */
public class Hoarder implements MigratableProcess {
    private static final long serialVersionUID = 1L;
    /** Four elements, each a marker a test can find in the serialized form. */
    final long[] data = {0x0102030405060708L, 0x0102030405060708L, 0x0102030405060708L, 0x0102030405060708L};
    private transient volatile boolean suspending;

    public Hoarder(String[] args) {}

    @Override
    public void run() {
        while (!suspending) {
            LockSupport.parkNanos(10_000_000);
        }
        suspending = false;
    }

    @Override
    public void suspend() {
        suspending = true;
    }
}
