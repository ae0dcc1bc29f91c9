package io.ferry.benchmarks;

import io.ferry.api.OutputScope;
import io.ferry.api.TransactionalFileInputStream;
import io.ferry.api.TransactionalFileOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading and writing a whole file through the transactional streams, against {@code BufferedInputStream} /
 * {@code BufferedOutputStream} over plain file streams with the same access pattern: bulk 8 KiB reads and writes,
 * and text lines through {@code DataInputStream.readLine()} / {@code PrintStream}, as processes do. One operation
 * moves the whole file ({@link #megabytes} MiB); the file lives in {@link #directory}. The transactional output
 * stream runs as on a node, under an {@link OutputScope} with the node's default flush delay (1 s), so the
 * background flusher and the lock it needs are part of what is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class StreamBenchmark {
    static final int CHUNK = 8192;
    /** The output scope of a process on a node, with the node's default flush delay. */
    private static final OutputScope NODE = OutputScope.open(java.time.Duration.ofSeconds(1));

    /** Size of the file read and written by one operation. */
    @Param("100")
    public int megabytes;

    /** Where the files go; empty means java.io.tmpdir. */
    @Param("")
    public String directory;

    Path dir;
    Path input;
    Path output;
    private String[] lines;
    private byte[] chunk;

    @Setup(Level.Trial)
    public void createInput() throws IOException {
        dir = Files.createTempDirectory(directory.isEmpty() ? Paths.get(System.getProperty("java.io.tmpdir"))
                : Paths.get(directory), "ferry-bench-");
        input = dir.resolve("input.txt");
        output = dir.resolve("output.txt");
        Random random = new Random(42);
        lines = new String[4096];
        for (int i = 0; i < lines.length; i++) {
            StringBuilder line = new StringBuilder();
            int length = 10 + random.nextInt(140); // ~80 bytes a line on average
            for (int j = 0; j < length; j++) {
                line.append((char) (random.nextInt(10) == 0 ? ' ' : 'a' + random.nextInt(26)));
            }
            lines[i] = line.toString();
        }
        chunk = new byte[CHUNK];
        random.nextBytes(chunk);
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(input.toFile()))) {
            writeLines(new PrintStream(out, false, StandardCharsets.ISO_8859_1));
        }
    }

    @TearDown(Level.Trial)
    public void deleteFiles() throws IOException {
        Files.deleteIfExists(input);
        Files.deleteIfExists(output);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public long readBulkTransactional() throws IOException {
        try (InputStream in = new TransactionalFileInputStream(input.toString())) {
            return readBulk(in);
        }
    }

    @Benchmark
    public long readBulkBuffered() throws IOException {
        try (InputStream in = new BufferedInputStream(new FileInputStream(input.toFile()))) {
            return readBulk(in);
        }
    }

    @Benchmark
    public long readLinesTransactional() throws IOException {
        try (DataInputStream in = new DataInputStream(new TransactionalFileInputStream(input.toString()))) {
            return readLines(in);
        }
    }

    @Benchmark
    public long readLinesBuffered() throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(input.toFile())))) {
            return readLines(in);
        }
    }

    @Benchmark
    public long writeBulkTransactional() throws IOException {
        OutputScope.bind(NODE);
        try (OutputStream out = new TransactionalFileOutputStream(output.toString())) {
            return writeBulk(out);
        }
    }

    @Benchmark
    public long writeBulkBuffered() throws IOException {
        try (OutputStream out = new BufferedOutputStream(new FileOutputStream(output.toFile()))) {
            return writeBulk(out);
        }
    }

    @Benchmark
    public long writeLinesTransactional() {
        OutputScope.bind(NODE);
        try (PrintStream out = new PrintStream(new TransactionalFileOutputStream(output.toString()), false,
                StandardCharsets.ISO_8859_1)) {
            return writeLines(out);
        }
    }

    @Benchmark
    public long writeLinesBuffered() throws IOException {
        try (PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(output.toFile())), false,
                StandardCharsets.ISO_8859_1)) {
            return writeLines(out);
        }
    }

    private long bytes() {
        return megabytes * 1024L * 1024L;
    }

    /** Returns the bytes read plus a byte of each chunk, so that no read can be optimized away. */
    private static long readBulk(InputStream in) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n + buffer[0];
        }
        return total;
    }

    @SuppressWarnings("deprecation") // DataInputStream.readLine is how processes read lines
    private static long readLines(DataInputStream in) throws IOException {
        long total = 0;
        for (String line; (line = in.readLine()) != null; ) {
            total += line.length() + 1;
        }
        return total;
    }

    private long writeBulk(OutputStream out) throws IOException {
        long written = 0;
        while (written < bytes()) {
            out.write(chunk);
            written += chunk.length;
        }
        return written;
    }

    /** Writes lines until the file holds {@link #megabytes} MiB; throws if the stream reported an error. */
    private long writeLines(PrintStream out) {
        long written = 0;
        for (int i = 0; written < bytes(); i++) {
            String line = lines[i & (lines.length - 1)];
            out.print(line);
            out.print('\n');
            written += line.length() + 1;
        }
        if (out.checkError()) {
            throw new UncheckedIOException(new IOException("writing " + written + " bytes failed"));
        }
        return written;
    }
}
