package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ferry local} running in the background on a free port, working in a test's directory: the cluster the
 * end-to-end tests drive from the command line.
 */
final class LocalFerry implements AutoCloseable {
    final Path dir;
    final int port;
    private final Process process;
    private final Path out;
    private final Path err;

    private LocalFerry(Path dir, int port, Process process, Path out, Path err) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code ferry local --port P --dir dir} and returns once it says it is ready. */
    static LocalFerry start(Path dir, String... extra) throws IOException {
        int port = freePort();
        Path out = dir.resolve("local.out");
        Path err = dir.resolve("local.err");
        List<String> args = new ArrayList<>(List.of("local", "--port", String.valueOf(port), "--dir", dir.toString()));
        args.addAll(List.of(extra));
        Process p = Cli.builder(Cli.BIN, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        LocalFerry local = new LocalFerry(dir, port, p, out, err);
        try {
            await().atMost(Cli.TIMEOUT).until(() -> local.stdout().contains("ready") || !p.isAlive());
            assertThat(local.stdout()).as("ferry local output; stderr: %s", local.stderr()).contains("ready");
            return local;
        } catch (RuntimeException | AssertionError e) {
            local.close();
            throw e;
        }
    }

    String zk() {
        return "127.0.0.1:" + port;
    }

    /** Runs {@code ferry VERB --zk <this cluster> ARGS...}. */
    Cli.Result ferry(String verb, String... args) {
        List<String> all = new ArrayList<>(List.of(verb, "--zk", zk()));
        all.addAll(List.of(args));
        return Cli.exec(Cli.BIN, null, all);
    }

    /**
     * Launches a {@link Ticker} writing {@code count} lines to {@code file} (see there for the rest), waits until
     * it runs, and returns its pid.
     */
    String launchTicker(int count, String file, String... more) {
        List<String> args = new ArrayList<>(List.of("launch", "--classpath", Cli.TEST_CLASSES, "--wait",
                Ticker.class.getName(), String.valueOf(count), file));
        args.addAll(List.of(more));
        String pid = ferry(args.get(0), args.subList(1, args.size()).toArray(String[]::new)).ok().strip();
        assertThat(pid).matches("p-[0-9]+");
        return pid;
    }

    /** Lets a {@link Ticker} with this release file run to its end. */
    void release(String name) throws IOException {
        Files.writeString(dir.resolve(name), "go");
    }

    String file(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    String stdout() throws IOException {
        return Files.readString(out);
    }

    String stderr() throws IOException {
        return Files.readString(err);
    }

    Process process() {
        return process;
    }

    /** Asks it to stop as Ctrl-C would (SIGTERM), forcibly if it does not within the timeout. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
