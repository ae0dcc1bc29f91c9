package io.ferry.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.testkit.ProcessProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CpFileTest {
    @TempDir
    Path dir;

    @Test
    void copiesEveryByte() throws IOException {
        Path in = Inputs.binary(dir, "in.bin", 100_000, 4);
        Path out = dir.resolve("out.bin");

        new CpFile(new String[] {in.toString(), out.toString()}).run();

        assertArrayEquals(Files.readAllBytes(in), Files.readAllBytes(out));
    }

    @Test
    void aMissingInputFailsAtConstructionNamingItAndCreatesNoOutput() {
        Path in = dir.resolve("missing.bin");
        Path out = dir.resolve("out.bin");

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new CpFile(new String[] {in.toString(), out.toString()}));

        assertTrue(e.getMessage().contains(in.toString()), e.getMessage());
        assertTrue(Files.notExists(out));
    }

    @Test
    void wrongArgumentsGiveTheUsageLine() {
        for (String[] args : new String[][] {null, {}, {"in"}, {"in", "out", "extra"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpFile(args));
            assertEquals("usage: CpFile <inputFile> <outputFile>", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void isMigratableAndCrashSafe(long seed) {
        Inputs.binary(dir, "in.bin", Inputs.SIZE, seed);
        ProcessProbe probe = ProcessProbe.forClass(CpFile.class).args("in.bin", "copy.bin")
                .inputs(dir).cycles(12).seed(seed);

        probe.assertMigratable();
        probe.assertCrashSafe();
    }
}
