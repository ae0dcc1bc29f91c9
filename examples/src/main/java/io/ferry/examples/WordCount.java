package io.ferry.examples;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code WordCount <inputFile> <outputFile>}: counts each whitespace-separated word, and writes one
 * {@code word count} line per distinct word, in word order. Its state grows with the vocabulary.
 */
public class WordCount extends LineProcess {
    private static final long serialVersionUID = 1L;
    static final String USAGE = "usage: WordCount <inputFile> <outputFile>";

    private final TreeMap<String, Long> counts = new TreeMap<>();

    public WordCount(String[] args) {
        super(args, 2, USAGE);
    }

    @Override
    void accept(String line, PrintStream output) {
        int start = -1;
        for (int i = 0; i <= line.length(); i++) {
            boolean space = i == line.length() || Character.isWhitespace(line.charAt(i));
            if (!space && start < 0) {
                start = i;
            } else if (space && start >= 0) {
                counts.merge(line.substring(start, i), 1L, Long::sum);
                start = -1;
            }
        }
    }

    @Override
    void finish(PrintStream output) {
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            output.print(entry.getKey() + " " + entry.getValue() + "\n");
        }
    }
}
