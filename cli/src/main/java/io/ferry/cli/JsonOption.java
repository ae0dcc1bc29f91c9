package io.ferry.cli;

import io.ferry.coordination.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --json}: output for scripts instead of a table for people. */
final class JsonOption {
    @Option(names = "--json", description = "Print JSON instead of a table")
    boolean json;

    static void print(PrintWriter out, Object value) {
        out.println(Json.pretty(value));
        out.flush();
    }
}
