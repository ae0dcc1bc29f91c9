import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Classic style (b), lower-case name: suspend() sets a flag and returns at once; DataOutputStream wrapper. */
public class countlines implements MigratableProcess {
    private TransactionalFileInputStream in;
    private TransactionalFileOutputStream out;
    private long lines;
    private boolean totalWritten;
    private volatile boolean suspended;

    public countlines(String[] args) {
        in = new TransactionalFileInputStream(args[0]);
        out = new TransactionalFileOutputStream(args[1]);
    }

    @SuppressWarnings("deprecation")
    public void run() {
        suspended = false;
        DataInputStream reader = new DataInputStream(in);
        DataOutputStream writer = new DataOutputStream(out);
        try {
            String line;
            while (!suspended && (line = reader.readLine()) != null) {
                lines++;
                if (lines % 100 == 0) {
                    writer.writeBytes(lines + "\n");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
            if (!suspended && !totalWritten) {
                writer.writeBytes("total " + lines + "\n");
                totalWritten = true; // run() may be called again after it completed: do nothing twice
            }
            writer.close();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    public void suspend() {
        suspended = true;
    }
}
