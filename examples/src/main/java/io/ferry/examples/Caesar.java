package io.ferry.examples;

import java.io.PrintStream;

/** {@code Caesar <shift> <inputFile> <outputFile>}: shifts each ASCII letter by {@code shift} places. */
public class Caesar extends LineProcess {
    private static final long serialVersionUID = 1L;
    static final String USAGE = "usage: Caesar <shift> <inputFile> <outputFile>";

    /** In 0..25. */
    private final int shift;

    public Caesar(String[] args) {
        this(args, shiftOf(args)); // checks the shift before any file is opened
    }

    private Caesar(String[] args, int shift) {
        super(args, 3, USAGE);
        this.shift = shift;
    }

    private static int shiftOf(String[] args) {
        return Math.floorMod(Arguments.integer(Arguments.require(args, 3, USAGE)[0], "shift", USAGE), 26);
    }

    @Override
    void accept(String line, PrintStream output) {
        char[] chars = line.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = shifted(chars[i]);
        }
        output.print(chars);
        output.print('\n');
    }

    private char shifted(char c) {
        if (c >= 'a' && c <= 'z') {
            return (char) ('a' + (c - 'a' + shift) % 26);
        }
        if (c >= 'A' && c <= 'Z') {
            return (char) ('A' + (c - 'A' + shift) % 26);
        }
        return c;
    }
}
