package io.ferry.examples;

import java.io.PrintStream;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code NumberLines <linesPerSecond> <inputFile> <outputFile>}: copies its input, numbering each line, at a set pace,
 * and prints its progress every 10 lines (see {@code ferry logs}). Made for the tour: slow enough that every command
 * a person types acts on a running process, deterministic so that the output can be checked afterwards.
 */
public class NumberLines extends LineProcess {
    private static final long serialVersionUID = 1L;
    static final String USAGE = "usage: NumberLines <linesPerSecond> <inputFile> <outputFile>";

    private final long pauseNanos;
    private long lines;

    public NumberLines(String[] args) {
        super(rateChecked(args), 3, USAGE);
        pauseNanos = 1_000_000_000L / Integer.parseInt(args[0]);
    }

    /** The pace is checked before any file is opened, so a bad one gives the usage line, not a file error. */
    private static String[] rateChecked(String[] args) {
        Arguments.positiveInt(Arguments.require(args, 3, USAGE)[0], "linesPerSecond", USAGE);
        return args;
    }

    @Override
    void accept(String line, PrintStream output) {
        lines++;
        output.print(lines + ": " + line + "\n");
        if (lines % 10 == 0) {
            System.out.println("numbered " + lines + " lines");
        }
        LockSupport.parkNanos(pauseNanos); // the pace, not a wait for anything
    }

    @Override
    void finish(PrintStream output) {
        System.out.println("done: " + lines + " lines");
    }
}
