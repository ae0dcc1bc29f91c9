import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;

/**
 * A classic process with a lower-case name and only a no-argument constructor (fixed, relative file names), whose
 * suspend() spins only while the process is not finished.
 */
@SuppressWarnings("deprecation")
public class rot13 implements MigratableProcess {
    private TransactionalFileInputStream in = new TransactionalFileInputStream("input.txt");
    private TransactionalFileOutputStream out = new TransactionalFileOutputStream("rot13.txt");
    private boolean finished;
    private volatile boolean suspending;

    public void run() {
        DataInputStream reader = new DataInputStream(in);
        PrintStream writer = new PrintStream(out);
        try {
            String line;
            while (!suspending && (line = reader.readLine()) != null) {
                StringBuilder rotated = new StringBuilder(line.length());
                for (char c : line.toCharArray()) {
                    if (c >= 'a' && c <= 'z') {
                        c = (char) ('a' + (c - 'a' + 13) % 26);
                    } else if (c >= 'A' && c <= 'Z') {
                        c = (char) ('A' + (c - 'A' + 13) % 26);
                    }
                    rotated.append(c);
                }
                writer.println(rotated);
            }
            if (!suspending) {
                finished = true;
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        writer.close();
        in.closeStream();
        suspending = false;
    }

    public void suspend() {
        suspending = true;
        while (suspending && !finished) {
            Thread.onSpinWait();
        }
    }

    @Override
    public boolean getFinished() {
        return finished;
    }

    @Override
    public String toString() {
        return "rot13 " + in.getFileName() + " -> " + out.getFileName();
    }
}
