package io.ferry.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each benchmark once on a 1 MiB file, without JMH: they work, and each pair does the same work. */
class StreamBenchmarkSmokeTest {
    @TempDir
    Path dir;

    private final StreamBenchmark benchmark = new StreamBenchmark();

    @BeforeEach
    void setUp() throws IOException {
        benchmark.megabytes = 1;
        benchmark.directory = dir.toString();
        benchmark.createInput();
    }

    @AfterEach
    void tearDown() throws IOException {
        benchmark.deleteFiles();
    }

    @Test
    void transactionalAndBufferedReadsSeeTheSameBytes() throws IOException {
        long size = Files.size(benchmark.input);
        assertTrue(size >= 1024 * 1024, "input of " + size + " bytes");

        assertEquals(benchmark.readBulkBuffered(), benchmark.readBulkTransactional());
        assertEquals(size, benchmark.readLinesBuffered());
        assertEquals(size, benchmark.readLinesTransactional());
    }

    @Test
    void transactionalAndBufferedWritesWriteTheSameBytes() throws IOException {
        assertEquals(benchmark.writeBulkBuffered(), benchmark.writeBulkTransactional());
        assertEquals(1024 * 1024, Files.size(benchmark.output));

        long lines = benchmark.writeLinesBuffered();
        byte[] buffered = Files.readAllBytes(benchmark.output);
        assertEquals(lines, benchmark.writeLinesTransactional());
        assertEquals(lines, buffered.length);
        assertTrue(java.util.Arrays.equals(buffered, Files.readAllBytes(benchmark.output)));
    }
}
