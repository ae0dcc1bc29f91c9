package io.ferry.cli.bench;

import io.ferry.api.MigratableProcess;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code Idle [stateBytes]}: benchmark workload that does nothing until suspended, holding {@code stateBytes}
 * bytes of random (incompressible) state, so thousands can run at once and a migration moves a known size.
 */
public class Idle implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    private final byte[] state;
    private transient volatile boolean suspending;
    private transient volatile Thread runner;

    public Idle(String[] args) {
        int bytes = args.length == 0 ? 0 : Integer.parseInt(args[0]);
        if (bytes < 0) {
            throw new IllegalArgumentException("usage: Idle [stateBytes], got " + bytes);
        }
        state = new byte[bytes];
        new SplittableRandom(bytes).nextBytes(state);
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        while (!suspending) {
            LockSupport.park(this);
        }
        suspending = false;
        runner = null;
    }

    @Override
    public void suspend() {
        suspending = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public String toString() {
        return "Idle " + state.length;
    }
}
