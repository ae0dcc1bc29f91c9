package io.ferry.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testkit.ProcessProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaesarTest {
    @TempDir
    Path dir;

    @Test
    void shiftsLettersAndLeavesEverythingElse() {
        Path in = Inputs.write(dir.resolve("in.txt"), "Hello, Zebra xyz!\ncaf\u00e9 42\n");
        Path out = dir.resolve("out.txt");

        new Caesar(new String[] {"3", in.toString(), out.toString()}).run();

        assertEquals("Khoor, Cheud abc!\nfdi\u00e9 42\n", Inputs.read(out));
    }

    @Test
    void aNegativeShiftUndoesAPositiveOne() {
        Path in = Inputs.write(dir.resolve("in.txt"), "The quick brown fox jumps over the lazy dog\n");
        Path there = dir.resolve("there.txt");
        Path back = dir.resolve("back.txt");

        new Caesar(new String[] {"29", in.toString(), there.toString()}).run();
        new Caesar(new String[] {"-29", there.toString(), back.toString()}).run();

        assertEquals(Inputs.read(in), Inputs.read(back));
    }

    @Test
    void wrongArgumentsGiveTheUsageLine() {
        for (String[] args : new String[][] {null, {}, {"3", "in"}, {"3", "in", "out", "extra"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Caesar(args));
            assertEquals("usage: Caesar <shift> <inputFile> <outputFile>", e.getMessage());
        }
    }

    @Test
    void aShiftThatIsNotANumberGivesTheUsageLineAndTouchesNoFile() {
        Path in = Inputs.write(dir.resolve("in.txt"), "text\n");
        Path out = dir.resolve("out.txt");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Caesar(new String[] {"three", in.toString(), out.toString()}));

        assertEquals("usage: Caesar <shift> <inputFile> <outputFile> (shift must be an integer, got 'three')",
                e.getMessage());
        assertTrue(Files.notExists(out));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void isMigratableAndCrashSafe(long seed) {
        Inputs.text(dir, "in.txt", Inputs.SIZE, seed);
        ProcessProbe probe = ProcessProbe.forClass(Caesar.class).args("13", "in.txt", "rot13.txt")
                .inputs(dir).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }
}
