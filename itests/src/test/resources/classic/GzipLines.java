import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.zip.GZIPOutputStream;

/**
 * Classic style (a) writing compressed output: a GZIPOutputStream is built in every run() and closed at every
 * suspend, which finishes a gzip member; the next run() starts a new one. The file is a valid multi-member gzip
 * whose content is what an uninterrupted run compresses.
 */
public class GzipLines implements MigratableProcess {
    private TransactionalFileInputStream in;
    private TransactionalFileOutputStream out;
    private long lines;
    private volatile boolean suspending;
    private boolean done;

    public GzipLines(String[] args) {
        in = new TransactionalFileInputStream(args[0]);
        out = new TransactionalFileOutputStream(args[1]);
    }

    @SuppressWarnings("deprecation")
    public void run() {
        try {
            PrintStream gz = new PrintStream(new GZIPOutputStream(out));
            DataInputStream reader = new DataInputStream(in);
            String line;
            while (!suspending && (line = reader.readLine()) != null) {
                lines++;
                gz.println(lines + " " + line);
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
            done = !suspending;
            gz.close(); // finishes this gzip member and closes the transactional stream's handle
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        suspending = false;
    }

    public void suspend() {
        suspending = true;
        while (suspending && !done);
    }
}
