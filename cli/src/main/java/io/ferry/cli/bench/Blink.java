package io.ferry.cli.bench;

import io.ferry.api.MigratableProcess;

/** {@code Blink}: benchmark workload that completes as soon as it runs, for histories of many finished processes. */
public class Blink implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    public Blink(String[] args) {}

    @Override
    public void run() {}

    @Override
    public void suspend() {}
}
