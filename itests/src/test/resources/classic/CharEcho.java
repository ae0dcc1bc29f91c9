import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Classic style (b): writes every byte it reads as a two-byte char through DataOutputStream.writeChar, in a
 * DataOutputStream made anew in every run(), never flushed. suspend() sets a flag and returns.
 */
public class CharEcho implements MigratableProcess {
    private TransactionalFileInputStream in;
    private TransactionalFileOutputStream out;
    private long chars;
    private volatile boolean suspended;

    public CharEcho(String[] args) {
        in = new TransactionalFileInputStream(args[0]);
        out = new TransactionalFileOutputStream(args[1]);
    }

    public void run() {
        suspended = false;
        DataOutputStream writer = new DataOutputStream(out);
        try {
            int c;
            while (!suspended && (c = in.read()) != -1) {
                writer.writeChar(c);
                if (++chars % 32 == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    public void suspend() {
        suspended = true;
    }
}
