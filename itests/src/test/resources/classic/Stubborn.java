/** Ignores suspend() altogether, until the test sets the system property stubborn.release. */
public class Stubborn implements MigratableProcess {
    private long spins;

    public Stubborn(String[] args) {}

    public void run() {
        while (!Boolean.getBoolean("stubborn.release")) {
            spins++;
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    public void suspend() {
        // ignored
    }
}
