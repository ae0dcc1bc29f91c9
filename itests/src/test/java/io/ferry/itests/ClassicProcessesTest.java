package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.api.MigratableProcess;
import io.ferry.api.WorkingDirectory;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.LogStore;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classic course-style processes (default package, compiled here against the compat classes alone and loaded from
 * their own classpath, as a user's would be): each suspend style survives two migrations and a node crash with
 * byte-identical output, what they print is kept per process and in order, and one that ignores suspend() can
 * still be terminated.
 */
class ClassicProcessesTest {
    static Path classes;

    @TempDir
    Path dir;
    FerryCluster cluster;

    /** Where the processes run: these tests hold in both isolations ({@code ...InJvmTest} runs them in jvm). */
    String isolation() {
        return "thread";
    }
    FerryClient c;

    @BeforeAll
    static void compileClassicSources(@TempDir Path build) throws Exception {
        classes = build.resolve("classes");
        Files.createDirectories(classes);
        Path sources = Path.of(ClassicProcessesTest.class.getResource("/classic").toURI());
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-nowarn", "-classpath",
                codeSource(MigratableProcess.class) + java.io.File.pathSeparator + codeSource(defaultPackageCompat())));
        try (Stream<Path> files = Files.list(sources)) {
            files.map(Path::toString).forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, args.toArray(String[]::new));
        assertThat(rc).as(errors.toString()).isZero();
    }

    @AfterAll
    static void releaseStubborn() {
        System.setProperty("stubborn.release", "true");
    }

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).isolation(isolation()).checkpointEvery(Duration.ofMillis(200)).suspendTimeout(Duration.ofSeconds(2));
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 9); // room for every style at once
        cluster.addNode("node-2", 9);
        cluster.addNode("node-3", 9);
        c = cluster.client;
        writeInput(dir.resolve("in.txt"), 30_000);
        writeInput(dir.resolve("rot13-in.txt"), 30_000);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    record Case(String className, String output, List<String> args) {
        @Override
        public String toString() {
            return className;
        }
    }

    static List<Case> styles() {
        List<Case> all = new ArrayList<>(List.of(
                new Case("GrepProcess", "grep-out.txt", List.of("7", "in.txt", "grep-out.txt")),
                new Case("countlines", "count-out.txt", List.of("in.txt", "count-out.txt")),
                new Case("Rot13", "rot13-out.txt", List.of())));
        all.addAll(neverFlushing());
        return all;
    }

    /** Processes that never call flush() or close() on anything, as two thirds of the surveyed peers. */
    static List<Case> neverFlushing() {
        return List.of(
                new Case("NoFlushCopy", "copy-out.txt", List.of("in.txt", "copy-out.txt")),
                new Case("CharEcho", "chars-out.bin", List.of("in.txt", "chars-out.bin")),
                new Case("ByteCipher", "cipher-out.bin", List.of("in.txt", "cipher-out.bin")),
                new Case("WordTally", "tally-out.txt", List.of("in.txt", "tally-out.txt")));
    }

    /** What a never-flushing process must leave in its file, computed here from its input, not by running it. */
    private byte[] expectedOutput(Case k) throws Exception {
        byte[] input = Files.readAllBytes(dir.resolve("in.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (k.className()) {
            case "NoFlushCopy" -> out.writeBytes(input);
            case "CharEcho" -> {
                for (byte b : input) {
                    out.write(0);
                    out.write(b);
                }
            }
            case "ByteCipher" -> {
                for (byte b : input) {
                    out.write(b ^ 0x5a);
                }
            }
            case "WordTally" -> {
                java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<>();
                for (String line : new String(input, StandardCharsets.US_ASCII).split("\n")) {
                    for (String word : line.split(" ")) {
                        counts.merge(word.isEmpty() ? "" : word.substring(0, 1), 1, Integer::sum);
                    }
                }
                counts.forEach((key, n) -> out.writeBytes((key + " " + n + System.lineSeparator()).getBytes()));
            }
            default -> throw new IllegalArgumentException(k.className());
        }
        return out.toByteArray();
    }

    // The never-flushing cases run side by side in each test below: one cluster set-up serves all four.

    @Test
    void aPlainRunOutsideFerryWritesTheWholeFileWithoutAFlush() throws Exception {
        Map<Case, java.util.concurrent.CompletableFuture<byte[]>> runs = uninterruptedRuns(neverFlushing());
        for (Map.Entry<Case, java.util.concurrent.CompletableFuture<byte[]>> run : runs.entrySet()) {
            assertThat(run.getValue().get()).as(run.getKey().className()).isEqualTo(expectedOutput(run.getKey()));
        }
    }

    /** Each case run outside Ferry, side by side: a byte-wise process pays a system call a byte there. */
    private Map<Case, java.util.concurrent.CompletableFuture<byte[]>> uninterruptedRuns(List<Case> cases) {
        Map<Case, java.util.concurrent.CompletableFuture<byte[]>> runs = new java.util.LinkedHashMap<>();
        for (Case k : cases) {
            runs.put(k, java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return uninterruptedRun(k);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, run -> new Thread(run, "reference-" + k.className()).start())); // not the common pool: 1 thread here
        }
        return runs;
    }

    @Test
    void neverFlushingProcessesThatCompleteWithNoMoveHaveEveryByteInTheirFiles() throws Exception {
        Map<Case, String> pids = launchAll(neverFlushing());

        for (Map.Entry<Case, String> p : pids.entrySet()) {
            c.awaitState(p.getValue(), null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(Files.readAllBytes(dir.resolve(p.getKey().output()))).as(p.getKey().className())
                    .isEqualTo(expectedOutput(p.getKey()));
        }
    }

    @Test
    void neverFlushingProcessesKeepEveryByteAcrossASchedulerFailover() throws Exception {
        cluster.addScheduler("s2");
        Map<Case, String> pids = launchAll(neverFlushing());
        for (String pid : pids.values()) {
            c.awaitRunning(pid, null, FerryCluster.WAIT);
        }

        cluster.killScheduler(cluster.leader());
        for (String pid : pids.values()) {
            c.awaitMigrated(c.migrate(pid, null), FerryCluster.WAIT); // the new leader moves each mid-run
        }

        for (Map.Entry<Case, String> p : pids.entrySet()) {
            c.awaitState(p.getValue(), null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(Files.readAllBytes(dir.resolve(p.getKey().output()))).as(p.getKey().className())
                    .isEqualTo(expectedOutput(p.getKey()));
        }
    }

    private Map<Case, String> launchAll(List<Case> cases) {
        Map<Case, String> pids = new java.util.LinkedHashMap<>();
        for (Case k : cases) {
            pids.put(k, c.launch(classic(k)));
        }
        return pids;
    }

    @Test
    void whatARunningProcessWritesIsInItsFileWithinTwoSecondsWithNoCheckpoint() throws Exception {
        // 20 ms a line: the copy runs for ten minutes unless terminated, and is never checkpointed
        String pid = c.launch(new ProcessSpec(null, "NoFlushCopy", List.of("in.txt", "slow.txt", "20000"),
                List.of(classes.toString()), null, null, 0L));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        Path file = dir.resolve("slow.txt");

        await().atMost(Duration.ofSeconds(2)).until(() -> Files.size(file) > 0);
        long seen = Files.size(file);
        await().atMost(Duration.ofSeconds(2)).until(() -> Files.size(file) > seen);

        c.awaitState(pid, c.terminate(pid), ProcessState.TERMINATED, FerryCluster.WAIT);
        byte[] written = Files.readAllBytes(file);
        byte[] input = Files.readAllBytes(dir.resolve("in.txt"));
        assertThat(written.length).isGreaterThan(0);
        assertThat(java.util.Arrays.copyOf(input, written.length)).isEqualTo(written); // a prefix, line by line
    }

    @Test
    void everyStyleSurvivesTwoMigrationsAndANodeCrashWithIdenticalOutput() throws Exception {
        // gzip output closed at every suspend: its members decompress to an uninterrupted run's content
        List<Case> cases = new ArrayList<>(styles());
        cases.add(new Case("GzipLines", "lines.gz", List.of("in.txt", "lines.gz")));
        Map<Case, java.util.concurrent.CompletableFuture<byte[]>> expected = uninterruptedRuns(cases);
        // side by side on one cluster, each pinned to node-1, moved to node-2 then node-3, and node-3 crashed
        Map<Case, String> pids = new java.util.LinkedHashMap<>();
        for (Case k : cases) {
            pids.put(k, c.launch(classic(k).withNode("node-1")));
        }
        for (String pid : pids.values()) {
            c.awaitRunning(pid, null, FerryCluster.WAIT);
        }
        for (String node : List.of("node-2", "node-3")) {
            Map<String, FerryClient.Ticket> moves = new java.util.LinkedHashMap<>();
            pids.values().forEach(pid -> moves.put(pid, c.migrate(pid, node)));
            moves.values().forEach(move -> c.awaitMigrated(move, FerryCluster.WAIT));
        }
        for (String pid : pids.values()) {
            await().atMost(FerryCluster.WAIT).until(() -> c.describe(pid).status().snapshot() != null);
        }
        cluster.crashNode("node-3");

        for (Map.Entry<Case, String> p : pids.entrySet()) {
            ProcessStatus done = c.awaitState(p.getValue(), null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(done.history()).as(p.getKey().className()).extracting(Transition::state)
                    .contains(ProcessState.LOST);
            assertThat(done.generation()).isGreaterThanOrEqualTo(4);
            assertThat(decoded(p.getKey(), Files.readAllBytes(dir.resolve(p.getKey().output()))))
                    .as(p.getKey().className()).isEqualTo(decoded(p.getKey(), expected.get(p.getKey()).get()));
        }
    }

    private static byte[] decoded(Case k, byte[] output) throws Exception {
        return k.output().endsWith(".gz") ? gunzip(output) : output;
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(bytes))) {
            return in.readAllBytes(); // reads every member of a multi-member file
        }
    }

    @Test
    void whatAProcessPrintsIsItsOwnAndInOrderAcrossMigrations() throws Exception {
        String pid = c.launch(classic(new Case("GrepProcess", "ab.txt", List.of("ab", "in.txt", "ab.txt"))));
        String quiet = c.launch(classic(styles().get(1)));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        for (int i = 0; i < 2; i++) {
            c.awaitMigrated(c.migrate(pid, null), FerryCluster.WAIT);
        }
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        c.awaitState(quiet, null, ProcessState.COMPLETED, FerryCluster.WAIT);

        await().atMost(FerryCluster.WAIT).untilAsserted(() -> {
            List<String> lines = logLines(pid);
            List<String> printed = lines.stream().filter(l -> !l.startsWith("[ferry]")).toList();
            assertThat(printed).isEqualTo(expectedMatches(dir.resolve("in.txt"), "ab"));
            // a generation's line is logged before what it prints, if it printed anything before it was moved
            List<Integer> generations = lines.stream().filter(l -> l.startsWith("[ferry] generation"))
                    .map(l -> Integer.parseInt(l.split(" ")[2])).toList();
            assertThat(generations).isNotEmpty().isSorted().doesNotHaveDuplicates().allMatch(g -> g >= 1 && g <= 3);
            assertThat(lines).as("a planned move repeats nothing").noneMatch(l -> l.contains("may repeat"));
        });
        assertThat(logLines(quiet)).allMatch(l -> l.startsWith("[ferry]"));
    }

    @Test
    void processThatIgnoresSuspendKeepsRunningAndCanStillBeTerminated() throws Exception {
        String pid = c.launch(new ProcessSpec(null, "Stubborn", List.of(), List.of(classes.toString()), null, null,
                0L));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        // inside run(): a suspend that arrives before run() is first called is carried out without it
        await().atMost(FerryCluster.WAIT).until(() -> cluster.phaseOf(running.node(), pid).equals("IN_RUN"));

        FerryClient.Ticket migrate = c.migrate(pid, null);
        if (isolation().equals("jvm")) {
            // its JVM is ended at the deadline, and the move goes on from its last snapshot (here: its args)
            ProcessStatus moved = c.awaitMigrated(migrate, FerryCluster.WAIT);
            assertThat(moved.node()).isNotEqualTo(running.node());
            assertThat(moved.history()).anySatisfy(t -> assertThat(t.reason()).isEqualTo(pid + " did not return"
                    + " from run() within 2000 ms of suspend(); its JVM was ended; it continues from its args"));
            c.awaitState(pid, c.terminate(pid), ProcessState.TERMINATED, FerryCluster.WAIT);
            assertThat(c.nodes()).allSatisfy(n -> assertThat(n.info().abandoned()).isEmpty());
            return;
        }
        assertThatThrownBy(() -> c.awaitMigrated(migrate, FerryCluster.WAIT)).isInstanceOf(FerryException.class)
                .hasMessageContaining("did not return from run() within");
        assertThat(c.describe(pid).node()).isEqualTo(running.node());
        assertThat(c.describe(pid).state()).isEqualTo(ProcessState.RUNNING);

        c.awaitState(pid, c.terminate(pid), ProcessState.TERMINATED, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).untilAsserted(() -> assertThat(c.nodes())
                .filteredOn(n -> n.info().id().equals(running.node()))
                .singleElement().satisfies(n -> {
                    assertThat(n.pids()).doesNotContain(pid);
                    assertThat(n.info().abandoned()).containsExactly(pid);
                }));
    }

    @Test
    void suspendRacingTheEndOfRunNeverHangs() throws Exception {
        writeInput(dir.resolve("tiny.txt"), 5);
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String pid = c.launch(classic(new Case("GrepProcess", "tiny-" + i + ".txt",
                    List.of("1", "tiny.txt", "tiny-" + i + ".txt"))));
            pids.add(pid);
        }
        for (String pid : pids) {
            try {
                c.awaitRunning(pid, null, FerryCluster.WAIT);
                c.suspend(pid);
            } catch (FerryException finishedFirst) {
                assertThat(c.describe(pid).state()).isEqualTo(ProcessState.COMPLETED);
            }
        }
        for (String pid : pids) {
            ProcessStatus s = c.await(pid, null, x -> x.state() == ProcessState.SUSPENDED
                    || x.state() == ProcessState.COMPLETED, "settle", FerryCluster.WAIT);
            if (s.state() == ProcessState.SUSPENDED) {
                c.resume(pid, null);
            }
            c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        }
        byte[] expected = uninterruptedRun(new Case("GrepProcess", "tiny-ref.txt", List.of("1", "tiny.txt", "tiny-ref.txt")));
        for (int i = 0; i < pids.size(); i++) {
            assertThat(Files.readAllBytes(dir.resolve("tiny-" + i + ".txt"))).isEqualTo(expected);
        }
    }

    private ProcessSpec classic(Case k) {
        return new ProcessSpec(null, k.className(), k.args(), List.of(classes.toString()), null, null, null);
    }

    /** Runs the process start to end on this thread, in a copy of the inputs, and returns its output. */
    private byte[] uninterruptedRun(Case k) throws Exception {
        Path ref = Files.createTempDirectory(dir, "reference");
        for (String input : List.of("in.txt", "rot13-in.txt", "tiny.txt")) {
            if (Files.exists(dir.resolve(input))) {
                Files.copy(dir.resolve(input), ref.resolve(input));
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ClassicProcessesTest.class.getClassLoader())) {
            Class<?> type = loader.loadClass(k.className());
            WorkingDirectory.bind(ref);
            try {
                MigratableProcess p = (MigratableProcess) (k.args().isEmpty()
                        ? type.getConstructor().newInstance()
                        : type.getConstructor(String[].class).newInstance((Object) k.args().toArray(String[]::new)));
                p.run();
            } finally {
                WorkingDirectory.bind(null);
            }
        }
        return Files.readAllBytes(ref.resolve(k.output()));
    }

    private List<String> logLines(String pid) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (LogStore.Chunk chunk : c.logs(pid, null, null)) {
            all.writeBytes(chunk.bytes());
        }
        return all.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static List<String> expectedMatches(Path input, String query) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(input)) {
            if (line.contains(query)) {
                out.add("match " + (out.size() + 1) + ": " + line);
            }
        }
        return out;
    }

    private static void writeInput(Path file, int lines) throws Exception {
        StringBuilder b = new StringBuilder();
        long x = 12345;
        for (int i = 0; i < lines; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            b.append("line ").append(i).append(" value ").append(Long.toHexString(x >>> 20)).append('\n');
        }
        Files.writeString(file, b.toString());
    }

    private static Class<?> defaultPackageCompat() throws ClassNotFoundException {
        return Class.forName("MigratableProcess");
    }

    private static String codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
