package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.api.MigratableProcess;
import io.ferry.api.WorkingDirectory;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example process, moved between two nodes 20 times while it is part-way through its work (suspended and
 * resumed on the other node, and every fifth time migrated live), writes the same bytes as one uninterrupted run.
 * Inputs are sized so that each example's work outlasts the moves on a 2-core machine (the fastest, CountLines,
 * by about half); the run between two moves is kept short by suspending as soon as the other node has the process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesOnClusterTest {
    static final int MOVES = 20;
    static final int INPUT_LINES = Integer.getInteger("examples.inputLines", 8_000_000);

    @TempDir
    static Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeAll
    void start() throws Exception {
        writeInput(dir.resolve("in.txt"), INPUT_LINES);
        writeInput(dir.resolve("quarter.txt"), INPUT_LINES / 4);
        writeBlocks(dir.resolve("big.bin"), 256);
        cluster = new FerryCluster(dir);
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 4);
        cluster.addNode("node-2", 4);
        c = cluster.client;
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    static List<List<String>> examples() {
        return List.of(
                // the two that write most of what they read are four times slower: a quarter of the input lasts
                List.of("GrepProcess", "ab", "quarter.txt", "#"),
                List.of("CountLines", "in.txt", "#"),
                List.of("CpFile", "big.bin", "#"), // copies in bulk, fast: it needs far more input to last 20 moves
                List.of("WordCount", "in.txt", "#"),
                List.of("Caesar", "3", "quarter.txt", "#"),
                List.of("Churn", "200000", "1500", "#"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void movedTwentyTimesMidRunWritesTheSameBytes(List<String> example) throws Exception {
        String name = example.get(0);
        // the reference run beside the moves, not before them: it is half this test's time for the slow writers
        java.util.concurrent.CompletableFuture<byte[]> expected = new java.util.concurrent.CompletableFuture<>();
        new Thread(() -> {
            try {
                expected.complete(uninterruptedRun(name, args(example, name + "-reference.out")));
            } catch (Throwable e) {
                expected.completeExceptionally(e);
            }
        }, "reference-" + name).start();
        String out = name + ".out";
        String pid = c.launch(new ProcessSpec(null, name, args(example, out), List.of(), null, "node-1", 0L));
        ProcessStatus status = c.awaitRunning(pid, null, FerryCluster.WAIT);
        // CpFile copies from the page cache at gigabytes a second: it is moved for as long as it lasts (at least 5
        // times mid-file); ProcessProbe interrupts it at seeded random points in-process (CpFileTest).
        boolean fast = name.equals("CpFile");
        int moves = 0;
        for (int move = 1; move <= MOVES; move++) {
            if (fast && c.describe(pid).state() == ProcessState.COMPLETED) {
                break;
            }
            String to = status.node().equals("node-1") ? "node-2" : "node-1";
            if (move % 5 == 0 && !fast) {
                c.awaitRunning(pid, null, FerryCluster.WAIT);
                status = c.awaitMigrated(c.migrate(pid, to), FerryCluster.WAIT);
            } else {
                FerryClient.Ticket suspend;
                try {
                    suspend = c.suspend(pid);
                } catch (io.ferry.coordination.FerryException completed) {
                    if (fast) {
                        break; // it finished between our look and the request
                    }
                    throw completed;
                }
                ProcessStatus parked = c.await(pid, suspend, x -> x.state() == ProcessState.SUSPENDED
                        || (fast && x.state() == ProcessState.COMPLETED), "reach SUSPENDED", FerryCluster.WAIT);
                if (parked.state() == ProcessState.COMPLETED) {
                    break;
                }
                long before = status.generation();
                // Suspend again as soon as the other node has it, so that each run in between is short.
                status = c.await(pid, c.resume(pid, to), s -> s.generation() > before && s.state().isOnNode(),
                        "resume", FerryCluster.WAIT);
            }
            assertThat(status.node()).isEqualTo(to);
            moves++;
        }
        assertThat(moves).as("moves made mid-run").isGreaterThanOrEqualTo(fast ? 5 : MOVES);
        ProcessStatus done = c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(done.generation()).isEqualTo(moves + 1);
        byte[] reference = expected.get();
        assertThat(Files.mismatch(dir.resolve(out), dir.resolve(name + "-reference.out"))).isEqualTo(-1L);
        assertThat(Files.readAllBytes(dir.resolve(out))).isEqualTo(reference);
    }

    private static List<String> args(List<String> example, String output) {
        List<String> args = new ArrayList<>(example.subList(1, example.size()));
        args.set(args.size() - 1, output);
        return args;
    }

    private static byte[] uninterruptedRun(String name, List<String> args) throws Exception {
        Class<?> type = Class.forName("io.ferry.examples." + name);
        WorkingDirectory.bind(dir);
        try {
            MigratableProcess p = (MigratableProcess) type.getConstructor(String[].class)
                    .newInstance((Object) args.toArray(String[]::new));
            p.run();
        } finally {
            WorkingDirectory.bind(null);
        }
        return Files.readAllBytes(dir.resolve(args.get(args.size() - 1)));
    }

    /** {@code mebibytes} of deterministic bytes, each MiB a different rotation of one block. */
    private static void writeBlocks(Path file, int mebibytes) throws Exception {
        byte[] block = new byte[1 << 20];
        new java.util.Random(42).nextBytes(block);
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mebibytes; i++) {
                out.write(block, i * 4096, block.length - i * 4096);
                out.write(block, 0, i * 4096);
            }
        }
    }

    private static void writeInput(Path file, int lines) throws Exception {
        String[] words = {"ferry", "river", "crossing", "abacus", "tabby", "north", "slab", "harbour", "zk"};
        long x = 7;
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < lines; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                for (int k = 0; k < 5; k++) {
                    w.write(words[(int) ((x >>> (20 + 8 * k)) & 0xff) % words.length]);
                    w.write(k < 4 ? ' ' : '\n');
                }
            }
        }
    }
}
