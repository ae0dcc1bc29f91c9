package io.ferry.itests;

import io.ferry.api.MigratableProcess;

/** A process whose run() throws an exception with a message of {@code args[0]} characters. */
public class HugeErrorProcess implements MigratableProcess {
    private static final long serialVersionUID = 1L;
    private final int size;

    public HugeErrorProcess(String[] args) {
        this.size = Integer.parseInt(args[0]);
    }

    @Override
    public void run() {
        throw new IllegalStateException("x".repeat(size));
    }

    @Override
    public void suspend() {}
}
