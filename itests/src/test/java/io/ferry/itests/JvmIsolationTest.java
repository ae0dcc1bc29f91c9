package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.NodeView;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import io.ferry.node.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In jvm isolation a process runs in a JVM of its own: {@code System.exit}, {@code Runtime.halt}, a full heap or a
 * thread of its own end that JVM and nothing else. Its node stays up with the same session, its neighbours finish
 * byte for byte, a crash loop ends FAILED, and no thread a process started outlives its copy.
 */
class JvmIsolationTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).set(NodeConfig.ISOLATION, "jvm").set(NodeConfig.WORKER_POOL, "1")
                .set("ferry.restart.delay", "100ms").checkpointEvery(Duration.ofMillis(300))
                .suspendTimeout(Duration.ofSeconds(2));
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 4);
        cluster.addNode("node-2", 4);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void systemExitEndsOnlyItsOwnJvmAndItsCrashLoopEndsFailedWithEveryNodeUp() throws Exception {
        Map<String, String> sessions = sessions();
        String neighbour = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "neighbour.txt", "500"));
        String pid = c.launch(ProcessSpec.of(Hostile.Exits.class.getName(), "exits.txt", "100"));

        ProcessStatus failed = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);

        String how = "its JVM ended: exited with status 1 (System.exit in Hostile$Exits.run)";
        assertThat(failed.error()).isEqualTo("lost 3 times within 10m00s, the last time as " + how
                + ": a crash loop (ferry.restart.attempts is 3)");
        List<Transition> lost = failed.history().stream().filter(t -> t.state() == ProcessState.LOST).toList();
        assertThat(lost).hasSize(3).allSatisfy(t -> assertThat(t.reason()).isEqualTo(how));
        assertThat(sessions()).as("no node died or even reconnected").isEqualTo(sessions);
        c.awaitState(neighbour, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("neighbour.txt"))).isEqualTo(TickProcess.expected(3000));
        assertThat(log(pid)).contains("about to exit");
    }

    @Test
    void haltAndAFullHeapAreNamedAsWhatTheyWere() throws Exception {
        String halts = c.launch(ProcessSpec.of(Hostile.Halts.class.getName()));
        String hogs = c.launch(ProcessSpec.of(Hostile.Hogs.class.getName()).withIsolation(null, 32L << 20));

        assertThat(c.awaitState(halts, null, ProcessState.FAILED, FerryCluster.WAIT).error())
                .contains("the last time as its JVM ended: exited with status 7 (Runtime.halt, or the JVM crashed");
        assertThat(c.awaitState(hogs, null, ProcessState.FAILED, FerryCluster.WAIT).error())
                .contains("the last time as its JVM ended: out of memory (heap limit 32 MB)");
    }

    @Test
    void aThreadTheProcessStartedEndsWithItsCopySoTwoCopiesNeverWriteAtOnce() throws Exception {
        String pid = c.launch(ProcessSpec.of(Hostile.Strays.class.getName(), "side.txt"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> lines("side.txt").size() >= 20);
        long first = jvmPid("side.txt.pid");

        c.awaitMigrated(c.migrate(pid, null), FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> jvmPid("side.txt.pid") != first);
        long second = jvmPid("side.txt.pid");
        await().atMost(FerryCluster.WAIT).until(() -> linesAfterTheLastCopyBegan("side.txt") >= 20);

        assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).as("first JVM").isFalse();
        assertOneWriterAtATime("side.txt");

        c.terminate(pid);
        c.awaitState(pid, null, ProcessState.TERMINATED, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> !ProcessHandle.of(second).map(ProcessHandle::isAlive)
                .orElse(false));
        int size = lines("side.txt").size();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> lines("side.txt").size() == size);
    }

    @Test
    void aProcessThatIgnoresSuspendIsTerminatedWithItsJvmAndHoldsNoSlot() throws Exception {
        String pid = c.launch(ProcessSpec.of(Hostile.Ignores.class.getName(), "ignores.pid").withNode("node-1"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> Files.exists(cluster.file("ignores.pid")));
        long jvm = jvmPid("ignores.pid");

        c.terminate(pid);
        ProcessStatus ended = c.awaitState(pid, null, ProcessState.TERMINATED, FerryCluster.WAIT);

        assertThat(ended.history().get(ended.history().size() - 1).reason())
                .isEqualTo(pid + " did not return from run() within 2000 ms of suspend(); its JVM was ended");
        await().atMost(FerryCluster.WAIT).until(() -> !ProcessHandle.of(jvm).map(ProcessHandle::isAlive)
                .orElse(false));
        NodeView node = c.nodes().stream().filter(n -> n.info().id().equals("node-1")).findFirst().orElseThrow();
        assertThat(node.info().abandoned()).isEmpty();
        assertThat(node.pids()).isEmpty();
    }

    @Test
    void aRunThatReturnsInterruptedCompletesAndPrintsAll() throws Exception {
        String pid = c.launch(ProcessSpec.of(Hostile.ReturnsInterrupted.class.getName()));

        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> log(pid).contains("after"));
    }

    @Test
    void aJvmThatEndsWhileItIsSerializedIsLostAndItsCrashLoopEnds() throws Exception {
        String pid = c.launch(ProcessSpec.of(Hostile.HaltsWhenSaved.class.getName()));

        ProcessStatus failed = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);

        assertThat(failed.error()).startsWith("lost 3 times within 10m00s, the last time as its JVM ended: exited"
                + " with status 3");
    }

    @Test
    void theNodeHoldsNoDescriptorOfACopyThatHasEnded() throws Exception {
        for (int i = 0; i < 3; i++) { // the first ones load what every later one uses
            c.awaitState(c.launch(ProcessSpec.of(TickProcess.class.getName(), "10", "w-" + i + ".txt", "10")), null,
                    ProcessState.COMPLETED, FerryCluster.WAIT);
        }
        long before = openDescriptors();
        for (int i = 0; i < 12; i++) {
            c.awaitState(c.launch(ProcessSpec.of(TickProcess.class.getName(), "10", "f-" + i + ".txt", "10")), null,
                    ProcessState.COMPLETED, FerryCluster.WAIT);
        }
        await().atMost(FerryCluster.WAIT).untilAsserted(() -> assertThat(openDescriptors())
                .as("descriptors after 12 more copies, against %d before", before).isLessThan(before + 6));
    }

    private static long openDescriptors() throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private Map<String, String> sessions() {
        return c.nodes().stream().collect(Collectors.toMap(n -> n.info().id(), n -> n.info().session()));
    }

    private String log(String pid) {
        return c.logs(pid, null, null).stream().map(chunk -> new String(chunk.bytes(), StandardCharsets.UTF_8))
                .collect(Collectors.joining());
    }

    /** The whole lines of a file a stray thread may be writing to right now. */
    private List<String> lines(String name) throws Exception {
        Path p = cluster.file(name);
        if (!Files.exists(p)) {
            return List.of();
        }
        String text = Files.readString(p);
        return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
    }

    private long jvmPid(String file) throws Exception {
        return Long.parseLong(Files.readString(cluster.file(file)).trim());
    }

    /** How many lines the copy that wrote last has written. */
    private long linesAfterTheLastCopyBegan(String name) throws Exception {
        List<String> all = lines(name);
        if (all.isEmpty()) {
            return 0;
        }
        String last = all.get(all.size() - 1).split(" ")[0];
        return all.stream().filter(l -> l.startsWith(last + " ")).count();
    }

    /** The side file holds each copy's lines in one unbroken run: once a copy has written, no earlier one does. */
    private void assertOneWriterAtATime(String name) throws Exception {
        List<String> ids = lines(name).stream().map(l -> l.split(" ")[0]).toList();
        List<String> runs = new java.util.ArrayList<>();
        for (String id : ids) {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(id)) {
                runs.add(id);
            }
        }
        assertThat(runs).as("copies in the order they wrote").doesNotHaveDuplicates().hasSize(2);
    }
}
