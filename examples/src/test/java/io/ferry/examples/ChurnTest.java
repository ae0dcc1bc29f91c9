package io.ferry.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testkit.ProbeReport;
import io.ferry.testkit.ProcessProbe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChurnTest {
    private static final String USAGE = "usage: Churn <stateBytes> <steps> <outputFile>";

    @TempDir
    Path dir;

    @Test
    void writesAStepAndChecksumEveryTenStepsAndAfterTheLast() {
        Path out = dir.resolve("out.txt");

        new Churn(new String[] {"1000", "25", out.toString()}).run();

        List<String> lines = Inputs.read(out).lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches("step 10 crc32 [0-9a-f]{8}"), lines.get(0));
        assertTrue(lines.get(1).matches("step 20 crc32 [0-9a-f]{8}"), lines.get(1));
        assertTrue(lines.get(2).matches("step 25 crc32 [0-9a-f]{8}"), lines.get(2));
    }

    @Test
    void theSameArgumentsGiveTheSameOutput() {
        Path first = dir.resolve("first.txt");
        Path second = dir.resolve("second.txt");

        new Churn(new String[] {"4096", "50", first.toString()}).run();
        new Churn(new String[] {"4096", "50", second.toString()}).run();

        assertEquals(Inputs.read(first), Inputs.read(second));
    }

    @Test
    void theStateIsAboutAsLargeAsAskedWhenSerialized() {
        ProbeReport report = ProcessProbe.forClass(Churn.class).args("100000", "20", "out.txt").cycles(1)
                .assertMigratable();

        assertTrue(report.largestSnapshotBytes() > 100_000 && report.largestSnapshotBytes() < 101_000,
                report.toString());
    }

    @Test
    void wrongArgumentsGiveTheUsageLine() {
        for (String[] args : new String[][] {null, {}, {"10", "10"}, {"10", "10", "out", "extra"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Churn(args));
            assertEquals(USAGE, e.getMessage());
        }
    }

    @Test
    void sizesAndStepsMustBePositiveIntegers() {
        String out = dir.resolve("out.txt").toString();

        assertEquals(USAGE + " (stateBytes must be an integer, got '1k')", assertThrows(IllegalArgumentException.class,
                () -> new Churn(new String[] {"1k", "10", out})).getMessage());
        assertEquals(USAGE + " (stateBytes must be positive, got 0)", assertThrows(IllegalArgumentException.class,
                () -> new Churn(new String[] {"0", "10", out})).getMessage());
        assertEquals(USAGE + " (steps must be positive, got -1)", assertThrows(IllegalArgumentException.class,
                () -> new Churn(new String[] {"10", "-1", out})).getMessage());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void isMigratableAndCrashSafe(long seed) {
        ProcessProbe probe = ProcessProbe.forClass(Churn.class).args("65536", "300", "churn.txt")
                .cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }
}
