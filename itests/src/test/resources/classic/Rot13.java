import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Classic style (c): suspend() spins only while the process is running and not finished. Only a no-arg
 * constructor: its files are fixed. PrintWriter wrapper, closed at every suspend.
 */
public class Rot13 implements MigratableProcess {
    private final TransactionalFileInputStream in = new TransactionalFileInputStream("rot13-in.txt");
    private final TransactionalFileOutputStream out = new TransactionalFileOutputStream("rot13-out.txt");
    private volatile boolean suspendRequested;
    private volatile boolean running;
    private boolean done;

    public Rot13() {}

    @SuppressWarnings("deprecation")
    public void run() {
        running = true;
        PrintWriter writer = new PrintWriter(out);
        DataInputStream reader = new DataInputStream(in);
        try {
            while (!suspendRequested) {
                String line = reader.readLine();
                if (line == null) {
                    done = true;
                    break;
                }
                StringBuilder b = new StringBuilder();
                for (char c : line.toCharArray()) {
                    if (c >= 'a' && c <= 'z') {
                        c = (char) ('a' + (c - 'a' + 13) % 26);
                    } else if (c >= 'A' && c <= 'Z') {
                        c = (char) ('A' + (c - 'A' + 13) % 26);
                    }
                    b.append(c);
                }
                writer.println(b);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        writer.close();
        suspendRequested = false;
        running = false;
    }

    public void suspend() {
        suspendRequested = true;
        while (running && !done) {
            Thread.onSpinWait();
        }
    }
}
