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

class CountLinesTest {
    @TempDir
    Path dir;

    @Test
    void writesHowManyLinesTheInputHas() {
        Path in = Inputs.write(dir.resolve("in.txt"), "one\n\nthree\r\nfour without newline");
        Path out = dir.resolve("out.txt");

        new CountLines(new String[] {in.toString(), out.toString()}).run();

        assertEquals("4\n", Inputs.read(out));
    }

    @Test
    void anEmptyInputHasNoLines() {
        Path in = Inputs.write(dir.resolve("in.txt"), "");
        Path out = dir.resolve("out.txt");

        new CountLines(new String[] {in.toString(), out.toString()}).run();

        assertEquals("0\n", Inputs.read(out));
    }

    @Test
    void runningACompletedProcessAgainWritesNothing() {
        Path in = Inputs.write(dir.resolve("in.txt"), "a\nb\n");
        Path out = dir.resolve("out.txt");
        CountLines count = new CountLines(new String[] {in.toString(), out.toString()});

        count.run();
        count.run();

        assertEquals("2\n", Inputs.read(out));
    }

    @Test
    void wrongArgumentsGiveTheUsageLine() {
        for (String[] args : new String[][] {null, {}, {"in"}, {"in", "out", "extra"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CountLines(args));
            assertEquals("usage: CountLines <inputFile> <outputFile>", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void isMigratableAndCrashSafe(long seed) {
        Inputs.text(dir, "in.txt", Inputs.SIZE, seed);
        ProcessProbe probe = ProcessProbe.forClass(CountLines.class).args("in.txt", "out.txt")
                .inputs(dir).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }
}
