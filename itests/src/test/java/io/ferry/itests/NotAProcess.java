package io.ferry.itests;

/** A class that is not a MigratableProcess. */
public class NotAProcess implements Runnable {
    public NotAProcess(String[] args) {}

    @Override
    public void run() {}
}
