package io.ferry.examples;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code GrepProcess <query> <inputFile> <outputFile>}: copies the lines that contain the query. */
public class GrepProcess extends LineProcess {
    private static final long serialVersionUID = 1L;
    static final String USAGE = "usage: GrepProcess <query> <inputFile> <outputFile>";

    /** The query as the lines see it: its UTF-8 bytes, one char each. */
    private final String query;

    public GrepProcess(String[] args) {
        super(args, 3, USAGE);
        this.query = new String(args[0].getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Override
    void accept(String line, PrintStream output) {
        if (line.contains(query)) {
            output.print(line);
            output.print('\n');
        }
    }
}
