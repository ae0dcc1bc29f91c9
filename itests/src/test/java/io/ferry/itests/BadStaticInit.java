package io.ferry.itests;

import io.ferry.api.MigratableProcess;

/** A process class whose static initializer throws: it can never be constructed. */
public class BadStaticInit implements MigratableProcess {
    private static final long serialVersionUID = 1L;
    private static final Object CONFIG = load();

    public BadStaticInit(String[] args) {}

    private static Object load() {
        throw new IllegalStateException("no config file for BadStaticInit");
    }

    @Override
    public void run() {}

    @Override
    public void suspend() {}
}
