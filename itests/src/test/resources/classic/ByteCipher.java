import java.io.IOException;

/**
 * Classic style (c): a byte-wise cipher that calls write(int) once per byte and never flushes; suspend() waits only
 * while run() is still running.
 */
public class ByteCipher implements MigratableProcess {
    private TransactionalFileInputStream in;
    private TransactionalFileOutputStream out;
    private long bytes;
    private volatile boolean suspending;
    private volatile boolean running;

    public ByteCipher(String[] args) {
        in = new TransactionalFileInputStream(args[0]);
        out = new TransactionalFileOutputStream(args[1]);
    }

    public void run() {
        running = true;
        try {
            int b;
            while (!suspending && (b = in.read()) != -1) {
                out.write(b ^ 0x5a);
                if (++bytes % 32 == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        } finally {
            suspending = false;
            running = false;
        }
    }

    public void suspend() {
        suspending = true;
        while (suspending && running) {
            Thread.onSpinWait();
        }
    }
}
