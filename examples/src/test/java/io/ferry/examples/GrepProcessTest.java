package io.ferry.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testkit.ProcessProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrepProcessTest {
    @TempDir
    Path dir;

    @Test
    void copiesExactlyTheLinesThatContainTheQuery() {
        Path in = Inputs.write(dir.resolve("in.txt"), "a ferry\nno boat\n\nferry again\nFerry\ncaf\u00e9 ferry\n");
        Path out = dir.resolve("out.txt");

        new GrepProcess(new String[] {"ferry", in.toString(), out.toString()}).run();

        assertEquals("a ferry\nferry again\ncaf\u00e9 ferry\n", Inputs.read(out));
    }

    @Test
    void findsNonAsciiQueriesInUtf8Input() {
        Path in = Inputs.write(dir.resolve("in.txt"), "caf\u00e9 au lait\ncafe\n");
        Path out = dir.resolve("out.txt");

        new GrepProcess(new String[] {"caf\u00e9", in.toString(), out.toString()}).run();

        assertEquals("caf\u00e9 au lait\n", Inputs.read(out));
    }

    @Test
    void aLastLineWithoutNewlineIsMatchedAndTerminated() {
        Path in = Inputs.write(dir.resolve("in.txt"), "ferry\nlast ferry");
        Path out = dir.resolve("out.txt");

        new GrepProcess(new String[] {"ferry", in.toString(), out.toString()}).run();

        assertEquals("ferry\nlast ferry\n", Inputs.read(out));
    }

    @Test
    void wrongArgumentsGiveTheUsageLine() {
        for (String[] args : new String[][] {null, {}, {"q", "in"}, {"q", "in", "out", "extra"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GrepProcess(args));
            assertEquals("usage: GrepProcess <query> <inputFile> <outputFile>", e.getMessage());
        }
    }

    @Test
    void toStringGivesTheClassAndArguments() {
        Path in = Inputs.write(dir.resolve("in.txt"), "");

        GrepProcess grep = new GrepProcess(new String[] {"ferry", in.toString(), dir.resolve("o").toString()});

        assertEquals("GrepProcess ferry " + in + " " + dir.resolve("o"), grep.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void isMigratableAndCrashSafe(long seed) {
        Inputs.text(dir, "in.txt", Inputs.SIZE, seed);
        ProcessProbe probe = ProcessProbe.forClass(GrepProcess.class).args("ferry", "in.txt", "out.txt")
                .inputs(dir).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }
}
