package io.ferry.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testkit.ProcessProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumberLinesTest {
    @TempDir
    Path dir;

    @Test
    void numbersEveryLineAndPrintsItsProgress() {
        Path in = Inputs.write(dir.resolve("in.txt"), "a\n".repeat(25));
        Path out = dir.resolve("out.txt");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true));
        try {
            new NumberLines(new String[] {"1000", in.toString(), out.toString()}).run();
        } finally {
            System.setOut(original);
        }

        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            expected.append(i).append(": a\n");
        }
        assertEquals(expected.toString(), Inputs.read(out));
        assertEquals("numbered 10 lines%nnumbered 20 lines%ndone: 25 lines%n".formatted(), printed.toString());
    }

    @Test
    void wrongArgumentsGiveTheUsageLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NumberLines(new String[] {"in", "out"}));
        assertEquals(NumberLines.USAGE, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NumberLines(new String[] {"0", "in", "out"}));
        assertTrue(e.getMessage().contains("linesPerSecond must be positive"), e.getMessage());
    }

    @Test
    void isMigratableAndCrashSafe() {
        Inputs.write(dir.resolve("in.txt"), "line\n".repeat(300));
        ProcessProbe probe = ProcessProbe.forClass(NumberLines.class).args("5000", "in.txt", "out.txt")
                .inputs(dir).cycles(8).seed(3);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }
}
