import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;

/** Classic style (a): suspend() sets a flag and spins until run() clears it; streams closed at every suspend. */
public class GrepProcess implements MigratableProcess {
    private static final long serialVersionUID = 1L;

    private TransactionalFileInputStream inFile;
    private TransactionalFileOutputStream outFile;
    private String query;
    private int matches;
    private volatile boolean suspending;
    private boolean finished;

    public GrepProcess(String args[]) throws Exception {
        if (args.length != 3) {
            System.out.println("usage: GrepProcess <queryString> <inputFile> <outputFile>");
            throw new Exception("Invalid Arguments");
        }
        query = args[0];
        inFile = new TransactionalFileInputStream(args[1]);
        outFile = new TransactionalFileOutputStream(args[2], false);
    }

    public void run() {
        PrintStream out = new PrintStream(outFile);
        DataInputStream in = new DataInputStream(inFile);
        try {
            while (!suspending) {
                @SuppressWarnings("deprecation")
                String line = in.readLine();
                if (line == null) {
                    finished = true;
                    break;
                }
                if (line.contains(query)) {
                    out.println(line);
                    matches++;
                    System.out.println("match " + matches + ": " + line);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        } catch (EOFException e) {
            finished = true;
        } catch (IOException e) {
            System.out.println("GrepProcess: Error: " + e);
        }
        out.close(); // classic code closes at every suspend: the same streams are used again on resume
        inFile.setMigrated(true);
        suspending = false;
    }

    public void suspend() {
        suspending = true;
        while (suspending && !finished);
    }

    @Override
    public void terminate() {
        suspend();
    }

    @Override
    public void print() {
        System.out.println(this);
    }

    @Override
    public boolean getFinished() {
        return finished;
    }

    @Override
    public void resume() {
        suspending = false;
    }

    public String toString() {
        return "GrepProcess " + query + " " + inFile.getFileName() + " " + outFile.getFileName();
    }
}
