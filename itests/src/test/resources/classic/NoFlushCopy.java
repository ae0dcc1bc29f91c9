import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Classic style (a), as most peers wrote it: a line copier that wraps its output in a new PrintStream in every run()
 * and never flushes or closes anything, relying on every write reaching the file. suspend() blocks until run()
 * clears the flag. Args: in out [microseconds per line].
 */
public class NoFlushCopy implements MigratableProcess {
    private TransactionalFileInputStream in;
    private TransactionalFileOutputStream out;
    private long pauseNanos;
    private volatile boolean suspending;
    private boolean done;

    public NoFlushCopy(String[] args) throws Exception {
        in = new TransactionalFileInputStream(args[0]);
        out = new TransactionalFileOutputStream(args[1]);
        pauseNanos = (args.length > 2 ? Long.parseLong(args[2]) : 20) * 1000;
    }

    @SuppressWarnings("deprecation")
    public void run() {
        DataInputStream reader = new DataInputStream(in);
        PrintStream writer = new PrintStream(out);
        try {
            while (!suspending && !done) {
                String line = reader.readLine();
                if (line == null) {
                    done = true;
                    break;
                }
                writer.println(line);
                java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
            }
        } catch (IOException e) {
            System.out.println("NoFlushCopy: " + e);
        }
        suspending = false;
    }

    public void suspend() {
        suspending = true;
        while (suspending) {
            Thread.onSpinWait();
        }
    }
}
