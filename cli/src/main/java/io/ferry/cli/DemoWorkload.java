package io.ferry.cli;

import io.ferry.api.MigratableProcess;
import io.ferry.api.OutputScope;
import io.ferry.api.WorkingDirectory;
import io.ferry.coordination.FerryException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's job: {@code GrepProcess QUERY ../input.txt matches.txt}, over a generated, deterministic text file in
 * which every fourth line matches. Also runs it the plain way, on a thread of this JVM with no Ferry involved, to
 * know what its output must be.
 */
final class DemoWorkload {
    static final String GREP = "io.ferry.examples.GrepProcess";
    static final String QUERY = "ferry";
    static final String INPUT = "input.txt";
    static final String OUTPUT = "matches.txt";
    /** The arguments, the same for the plain run and on the cluster, relative to each one's working directory. */
    static final List<String> ARGS = List.of(QUERY, "../" + INPUT, OUTPUT);
    static final int MATCH_EVERY = 4;

    private static final String[] WORDS = {"river", "barge", "harbour", "quay", "tide", "hull", "deck", "rope",
        "anchor", "sail", "keel", "mast", "cargo", "pier", "dock", "ferryman"};

    private DemoWorkload() {}

    /** How a plain run went. */
    record PlainRun(boolean completed, Duration elapsed, long outputLines) {}

    /** Fails with a clear message when the build has no GrepProcess to show. */
    static void requireGrep() {
        try {
            Class.forName(GREP, false, DemoWorkload.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new FerryException("The demo runs " + GREP + ", which this build does not include");
        }
    }

    /** Writes {@code lines} lines to {@code dir/input.txt}; the same count always gives the same bytes. */
    static long writeInput(Path dir, long lines) {
        Path file = dir.resolve(INPUT);
        long seed = 0x5DEECE66DL;
        StringBuilder line = new StringBuilder(64);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (long i = 0; i < lines; i++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                line.setLength(0);
                String n = Long.toString(i);
                line.append("000000000", 0, Math.max(0, 9 - n.length())).append(n).append(' ')
                        .append(WORDS[(int) (seed >>> 60)]).append(' ')
                        .append(WORDS[(int) (seed >>> 40) & 15]).append(' ')
                        .append(i % MATCH_EVERY == 0 ? QUERY : WORDS[(int) (seed >>> 20) & 15]).append('\n');
                out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs GrepProcess to completion, or until {@code budget} passes, on a thread whose working directory is
     * {@code dir}: as a plain program would run it, but with its output buffered as on a node (a plain JVM writes
     * every line straight through), so that its pace sizes the input for the cluster.
     */
    static PlainRun runPlain(Path dir, Duration budget) {
        MigratableProcess[] process = new MigratableProcess[1];
        Throwable[] failure = new Throwable[1];
        OutputScope files = OutputScope.open(Duration.ofSeconds(1));
        Thread worker = new Thread(() -> {
            WorkingDirectory.bind(dir);
            OutputScope.bind(files);
            try {
                process[0] = construct();
                process[0].run();
                files.sync();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "ferry-demo-plain");
        long start = System.nanoTime();
        worker.setDaemon(true);
        worker.start();
        boolean completed = join(worker, budget);
        if (!completed && process[0] != null) {
            // A classic suspend() may wait for run() to return, so call it where it cannot hold us up for long.
            Thread stop = new Thread(process[0]::suspend, "ferry-demo-suspend");
            stop.setDaemon(true);
            stop.start();
            join(worker, Duration.ofSeconds(10));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        try {
            files.sync(); // what a stopped sizing run wrote, for counting
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            files.close();
        }
        if (failure[0] != null) {
            throw new FerryException("The plain run of " + GREP + " failed: " + Ferry.message(failure[0]));
        }
        return new PlainRun(completed, elapsed, countLines(dir.resolve(OUTPUT)));
    }

    private static MigratableProcess construct() throws ReflectiveOperationException {
        try {
            return (MigratableProcess) Class.forName(GREP).getConstructor(String[].class)
                    .newInstance((Object) ARGS.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw new FerryException("Cannot construct " + GREP + ": " + Ferry.message(e.getCause()));
        }
    }

    private static boolean join(Thread t, Duration timeout) {
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException("Interrupted");
        }
        return !t.isAlive();
    }

    static long countLines(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            long lines = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines++;
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
