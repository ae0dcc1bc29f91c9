package io.ferry.examples;

import java.io.PrintStream;

/** {@code CountLines <inputFile> <outputFile>}: writes how many lines the input has. */
public class CountLines extends LineProcess {
    private static final long serialVersionUID = 1L;
    static final String USAGE = "usage: CountLines <inputFile> <outputFile>";

    private long lines;

    public CountLines(String[] args) {
        super(args, 2, USAGE);
    }

    @Override
    void accept(String line, PrintStream output) {
        lines++;
    }

    @Override
    void finish(PrintStream output) {
        output.print(lines + "\n");
    }
}
