package io.ferry.itests;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileOutputStream;
import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;

/** Like {@link TickProcess}, but holds a field that cannot be serialized, so it can never be moved. */
public class UnserializableProcess implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    private final Thread owner = Thread.currentThread(); // not Serializable
    private final int count;
    private final TransactionalFileOutputStream out;
    private int next;
    private volatile boolean suspending;

    public UnserializableProcess(String[] args) {
        this.count = Integer.parseInt(args[0]);
        this.out = new TransactionalFileOutputStream(args[1]);
    }

    @Override
    public void run() {
        PrintStream print = new PrintStream(out);
        while (!suspending && next < count) {
            print.println("tick " + next++);
            LockSupport.parkNanos(1_000_000);
        }
        print.flush();
        suspending = false;
    }

    @Override
    public void suspend() {
        suspending = true;
    }

    @Override
    public String toString() {
        return "UnserializableProcess " + count + " by " + owner.getName();
    }
}
