package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code bin/ferry} (or {@code bin/zkcli}) as a separate process, as a person or a script
 * would, with a timeout on every run. Small heaps and a quick-starting JIT keep the test run fast.
 */
final class Cli {
    static final Path BIN = Path.of(System.getProperty("ferry.bin", "../bin/ferry")).toAbsolutePath().normalize();
    static final Path ZKCLI = BIN.resolveSibling("zkcli");
    /** Where the test processes ({@link Ticker}) are compiled: the classpath to launch them with. */
    static final String TEST_CLASSES = Path.of(System.getProperty("ferry.testClasses", "target/test-classes"))
            .toAbsolutePath().toString();
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String JAVA_OPTS = "-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    /**
     * The class-data archive and the helper of these tests' short commands, which go through it as a user's do; it
     * stops a minute after the last, or when {@code mvn clean} deletes its socket.
     */
    static final Path CACHE = Path.of("target", "ferry-cache").toAbsolutePath();

    private Cli() {}

    /** What a run printed and how it ended. */
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        /** Asserts the run failed with exactly one line on standard error, and returns that line. */
        String failureLine() {
            assertThat(exit).as("exit status; stdout: %s; stderr: %s", out, err).isNotZero();
            assertThat(errLines()).as("stderr of a failed run").hasSize(1);
            assertThat(errLines().get(0)).startsWith("ferry: ");
            return errLines().get(0);
        }

        /** Asserts the run succeeded, and returns its standard output. */
        String ok() {
            assertThat(exit).as("exit status; stdout: %s; stderr: %s", out, err).isZero();
            return out;
        }
    }

    static Result run(String... args) {
        return exec(BIN, null, List.of(args));
    }

    static Result runWithInput(String stdin, String... args) {
        return exec(BIN, stdin, List.of(args));
    }

    static Result exec(Path program, String stdin, List<String> args) {
        return exec(program, stdin, args, Map.of());
    }

    /** Runs {@code ferry args} with its settings read from {@code conf} (as FERRY_CONF names it). */
    static Result runWithConf(Path conf, String... args) {
        return exec(BIN, null, List.of(args), Map.of("FERRY_CONF", conf.toString()));
    }

    static Result exec(Path program, String stdin, List<String> args, Map<String, String> env) {
        ProcessBuilder pb = builder(program, args);
        pb.environment().putAll(env);
        return run(pb, stdin, "ferry " + args);
    }

    /** Runs {@code pb} to its end (it is {@code what}), with {@code stdin} as its input if not null. */
    static Result run(ProcessBuilder pb, String stdin, String what) {
        try {
            Path out = Files.createTempFile("ferry-out-", ".txt");
            Path err = Files.createTempFile("ferry-err-", ".txt");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (stdin != null) {
                    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                p.getOutputStream().close();
                if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError(what + " did not finish within " + TIMEOUT + "; stdout: "
                            + Files.readString(out) + "; stderr: " + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A process builder for {@code program args}, in a clean environment. */
    static ProcessBuilder builder(Path program, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.remove("FERRY_ZK");
        env.remove("FERRY_CONF");
        env.put("FERRY_JAVA_OPTS", JAVA_OPTS);
        env.put("FERRY_CACHE", CACHE.toString());
        env.put("FERRY_HELPER_IDLE", "1m");
        return pb;
    }
}
