import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;

/**
 * A classic process with a non-blocking suspend() (set the flag, return at once) that appends its result to an
 * existing log, opening its files through the java.io.File constructors and closing them at every suspend.
 */
@SuppressWarnings("deprecation")
public class AppendLineCount implements MigratableProcess {
    private static final long serialVersionUID = 4L;

    private final TransactionalFileInputStream input;
    private final TransactionalFileOutputStream log;
    private long lines;
    private long longest;
    private boolean finished;
    private volatile boolean suspended;

    public AppendLineCount(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: AppendLineCount <inputFile> <logFile>");
        }
        input = new TransactionalFileInputStream(new File(args[0]));
        log = new TransactionalFileOutputStream(new File(args[1]), true);
    }

    public void run() {
        try {
            DataInputStream in = new DataInputStream(input);
            PrintStream out = new PrintStream(log);
            while (!suspended && !finished) {
                String line = in.readLine();
                if (line == null) {
                    out.println(input.getFileName().substring(input.getFileName().lastIndexOf('/') + 1)
                            + ": " + lines + " lines, longest " + longest);
                    finished = true;
                } else {
                    lines++;
                    longest = Math.max(longest, line.length());
                }
            }
            out.close();
            in.close();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        suspended = false;
    }

    public void suspend() {
        suspended = true;
    }

    @Override
    public boolean getFinished() {
        return finished;
    }

    @Override
    public String toString() {
        return "AppendLineCount " + input.getFileName() + " " + log.getFileName();
    }
}
