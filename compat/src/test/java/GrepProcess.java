import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;

/**
 * A classic process, written as the course assignment's peers wrote them: blocking suspend() that spins until run()
 * clears the flag, streams closed (through setMigrated) at every suspend, wrappers rebuilt in every run().
 */
@SuppressWarnings("deprecation") // DataInputStream.readLine, as classic processes use it
public class GrepProcess implements MigratableProcess {
    private TransactionalFileInputStream inFile;
    private TransactionalFileOutputStream outFile;
    private String query;
    private boolean finished;

    private volatile boolean suspending;

    public GrepProcess(String args[]) throws Exception {
        if (args.length != 3) {
            throw new Exception("usage: GrepProcess <queryString> <inputFile> <outputFile>");
        }
        query = args[0];
        inFile = new TransactionalFileInputStream(args[1]);
        outFile = new TransactionalFileOutputStream(args[2], false);
    }

    public void run() {
        if (inFile.getMigrated()) {
            inFile.setMigrated(false);
        }
        PrintStream out = new PrintStream(outFile);
        DataInputStream in = new DataInputStream(inFile);
        try {
            while (!suspending && !finished) {
                String line = in.readLine();
                if (line == null) {
                    finished = true;
                    break;
                }
                if (line.contains(query)) {
                    out.println(line);
                }
            }
        } catch (EOFException e) {
            finished = true;
        } catch (IOException e) {
            throw new RuntimeException("GrepProcess: Error: " + e, e);
        }
        out.flush();
        suspending = false;
    }

    public void suspend() {
        suspending = true;
        while (suspending) {
            Thread.onSpinWait();
        }
        inFile.setMigrated(true);
        outFile.setMigrated(true);
    }

    @Override
    public void terminate() {
        finished = true;
        suspending = false;
        inFile.closeStream();
        outFile.closeStream();
    }

    @Override
    public void print() {
        System.out.println(this);
    }

    @Override
    public void remove() {
        inFile.closeStream();
        outFile.closeStream();
    }

    @Override
    public boolean getFinished() {
        return finished;
    }

    @Override
    public void resume() {
        suspending = false;
    }

    @Override
    public String toString() {
        return "GrepProcess " + query + " " + inFile.getFileName() + " " + outFile.getFileName();
    }
}
