import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.TreeMap;

/**
 * Classic style (b), and a common shape: counts words as it reads, and writes all of its results in one burst at
 * the very end of run(), through a PrintStream that it never flushes.
 */
public class WordTally implements MigratableProcess {
    private TransactionalFileInputStream in;
    private TransactionalFileOutputStream out;
    private TreeMap<String, Integer> counts = new TreeMap<String, Integer>();
    private long lines;
    private boolean written;
    private volatile boolean suspended;

    public WordTally(String[] args) {
        in = new TransactionalFileInputStream(args[0]);
        out = new TransactionalFileOutputStream(args[1]);
    }

    @SuppressWarnings("deprecation")
    public void run() {
        suspended = false;
        DataInputStream reader = new DataInputStream(in);
        try {
            String line = null;
            while (!suspended && (line = reader.readLine()) != null) {
                for (String word : line.split(" ")) {
                    String key = word.isEmpty() ? "" : word.substring(0, 1);
                    counts.put(key, counts.containsKey(key) ? counts.get(key) + 1 : 1);
                }
                lines++;
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
            if (line == null && !suspended && !written) {
                PrintStream writer = new PrintStream(out);
                for (String key : counts.keySet()) {
                    writer.println(key + " " + counts.get(key));
                }
                written = true;
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    public void suspend() {
        suspended = true;
    }
}
