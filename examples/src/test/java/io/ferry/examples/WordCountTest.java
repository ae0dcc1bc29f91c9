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

class WordCountTest {
    @TempDir
    Path dir;

    @Test
    void countsEachWordAndListsThemInOrder() {
        Path in = Inputs.write(dir.resolve("in.txt"), "the ferry\tthe  boat\n\n  caf\u00e9 the\nboat\n");
        Path out = dir.resolve("out.txt");

        new WordCount(new String[] {in.toString(), out.toString()}).run();

        assertEquals("boat 2\ncaf\u00e9 1\nferry 1\nthe 3\n", Inputs.read(out));
    }

    @Test
    void wrongArgumentsGiveTheUsageLine() {
        for (String[] args : new String[][] {null, {}, {"in"}, {"in", "out", "extra"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WordCount(args));
            assertEquals("usage: WordCount <inputFile> <outputFile>", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void isMigratableAndCrashSafe(long seed) {
        Inputs.text(dir, "in.txt", Inputs.SIZE, seed);
        ProcessProbe probe = ProcessProbe.forClass(WordCount.class).args("in.txt", "counts.txt")
                .inputs(dir).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }
}
