package io.ferry.cli;

/** A class that is not a MigratableProcess, for the bad-input tests. */
public class NotAProcess implements Runnable {
    @Override
    public void run() {
        // nothing
    }
}
