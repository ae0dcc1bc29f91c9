package io.ferry.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text in aligned columns, for people; scripts use {@code --json}. A null cell prints as {@code -}; control
 * characters in a cell print as escapes ({@link Format#printable}), so no cell can forge a row or drive the terminal.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            text[i] = cells[i] == null || cells[i].toString().isEmpty() ? "-" : Format.printable(cells[i].toString());
        }
        rows.add(text);
        return this;
    }

    /** Whether there are rows besides the header. */
    boolean isEmpty() {
        return rows.size() == 1;
    }

    void print(PrintWriter out) {
        print(out, rows);
    }

    /** Prints the rows without the header line: for a list of facts. */
    void printBody(PrintWriter out) {
        print(out, rows.subList(1, rows.size()));
    }

    private void print(PrintWriter out, List<String[]> rows) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
