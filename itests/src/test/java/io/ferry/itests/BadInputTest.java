package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.NoSuchNodeException;
import io.ferry.coordination.NoSuchProcessException;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessTable;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessView;
import io.ferry.coordination.ZPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every bad request gets a clear error naming the problem, and changes nothing else. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    @TempDir
    static Path dir;
    FerryCluster cluster;
    FerryClient c;
    String bystander;

    @BeforeAll
    void start() throws Exception {
        cluster = new FerryCluster(dir);
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 8);
        cluster.addNode("node-2", 8);
        c = cluster.client;
        bystander = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "bystander.txt", "1000"));
        c.awaitRunning(bystander, null, FerryCluster.WAIT);
    }

    @AfterAll
    void stop() throws Exception {
        ProcessView b = c.describe(bystander);
        assertThat(b.state()).as("the bystander is untouched").isEqualTo(ProcessState.RUNNING);
        assertThat(b.generation()).isEqualTo(1);
        cluster.close();
    }

    @Test
    void unknownPidIsNamed() {
        assertThatThrownBy(() -> c.suspend("p-999")).isInstanceOf(NoSuchProcessException.class)
                .hasMessage("No such process: p-999 (see 'ferry ps --all')");
        assertThatThrownBy(() -> c.describe("p-998")).isInstanceOf(NoSuchProcessException.class);
    }

    @Test
    void malformedPidIsNamed() {
        assertThatThrownBy(() -> c.terminate("../nodes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not a pid: '../nodes'");
    }

    @Test
    void suspendingASuspendedProcessIsRefused() {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "100000", "s.txt", "1000"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        c.awaitState(pid, c.suspend(pid), ProcessState.SUSPENDED, FerryCluster.WAIT);
        assertThatThrownBy(() -> c.suspend(pid)).isInstanceOf(FerryException.class)
                .hasMessageContaining(pid + " is already suspended");
        assertThat(c.describe(pid).state()).isEqualTo(ProcessState.SUSPENDED);
        c.terminate(pid);
    }

    @Test
    void resumingARunningProcessIsRefused() {
        assertThatThrownBy(() -> c.resume(bystander, null)).isInstanceOf(FerryException.class)
                .hasMessageContaining("not suspended");
    }

    @Test
    void migratingToAnUnknownOrDeadNodeIsRefused() {
        assertThatThrownBy(() -> c.migrate(bystander, "node-9")).isInstanceOf(NoSuchNodeException.class)
                .hasMessage("No live node named node-9 (see 'ferry nodes')");
        assertThatThrownBy(() -> c.migrate(bystander, c.describe(bystander).node()))
                .isInstanceOf(FerryException.class).hasMessageContaining("already runs on");
    }

    @Test
    void unknownClassFailsWithItsName() {
        String pid = c.launch(ProcessSpec.of("com.example.NoSuchThing", "a"));
        assertThatThrownBy(() -> c.awaitRunning(pid, null, FerryCluster.WAIT)).isInstanceOf(FerryException.class)
                .hasMessageContaining("FAILED").hasMessageContaining("Unknown class com.example.NoSuchThing");
    }

    @Test
    void classThatIsNotAProcessFails() {
        String pid = c.launch(ProcessSpec.of(NotAProcess.class.getName()));
        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).isEqualTo(NotAProcess.class.getName() + " is not a MigratableProcess");
    }

    @Test
    void constructorThatThrowsFailsWithItsMessage() {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "only-one-arg"));
        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).isEqualTo("usage: TickProcess <count> <outputFile> [pace-microseconds [gate]]");
    }

    @Test
    void constructorThatThrowsAnythingButAUsageErrorFailsNamingTheExceptionType() {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "abc", "nfe.txt"));
        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).isEqualTo("NumberFormatException: For input string: \"abc\"");
    }

    @Test
    void unserializableProcessKeepsRunningWhenItCannotMigrate() throws Exception {
        String pid = c.launch(ProcessSpec.of(UnserializableProcess.class.getName(), "1500", "u.txt"));
        ProcessStatus before = c.awaitRunning(pid, null, FerryCluster.WAIT);
        FerryClient.Ticket t = c.migrate(pid, null);
        assertThatThrownBy(() -> c.awaitMigrated(t, FerryCluster.WAIT)).isInstanceOf(FerryException.class)
                .hasMessageContaining(pid + " could not migrate").hasMessageContaining("NotSerializableException");
        ProcessView after = c.describe(pid);
        assertThat(after.node()).isEqualTo(before.node());
        assertThat(after.generation()).isEqualTo(before.generation());
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("u.txt"))).isEqualTo(TickProcess.expected(1500));
    }

    @Test
    void suspendThatCannotBeCarriedOutFailsOnceAndIsNotRetried() throws Exception {
        String pid = c.launch(ProcessSpec.of(UnserializableProcess.class.getName(), "100000", "u2.txt"));
        ProcessStatus before = c.awaitRunning(pid, null, FerryCluster.WAIT);
        FerryClient.Ticket t = c.suspend(pid);
        assertThatThrownBy(() -> c.awaitState(pid, t, ProcessState.SUSPENDED, FerryCluster.WAIT))
                .isInstanceOf(FerryException.class).hasMessageContaining(pid + " could not reach SUSPENDED");
        long steps = cluster.leader().steps();
        org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(1)).atMost(FerryCluster.WAIT)
                .until(() -> cluster.leader().steps() == steps);
        assertThat(c.describe(pid).state()).isEqualTo(ProcessState.RUNNING);
        assertThat(c.describe(pid).generation()).isEqualTo(before.generation());
        c.terminate(pid);
    }

    @Test
    void malformedDesiredStateFailsThatProcessOnly() throws Exception {
        String pid = "p-4242";
        cluster.curator().create().creatingParentContainersIfNeeded()
                .forPath(ZPaths.process(pid), "{not json".getBytes(StandardCharsets.UTF_8));
        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).startsWith("Malformed data in /processes/b-4/p-4242");
    }

    @Test
    void anOversizedSpecIsRefusedByTheClientNamingItsSizeAndTheLimit() throws Exception {
        int before = new ProcessTable(cluster.curator()).pids().size();
        ProcessSpec huge = ProcessSpec.of(TickProcess.class.getName(), "x".repeat(1_000_000), "out.txt");

        assertThatThrownBy(() -> c.launch(huge)).isInstanceOf(FerryException.class)
                .hasMessageContaining("The launch spec of TickProcess is 1,000,")
                .hasMessageContaining("over the limit of 65,536 (ferry.limits.specBytes)")
                .hasMessageContaining("pass large inputs in a file");
        assertThat(new ProcessTable(cluster.curator()).pids()).hasSize(before);
    }

    @Test
    void anOversizedRecordWrittenByAnotherToolFailsThatProcessOnlyAndCanStillBeRead() throws Exception {
        String pid = "p-4343";
        ProcessSpec huge = ProcessSpec.of(TickProcess.class.getName(), "x".repeat(900_000), "out.txt");
        io.ferry.coordination.ProcessRecord record = new io.ferry.coordination.ProcessRecord(
                io.ferry.coordination.ProcessRecord.FORMAT, pid, huge, new io.ferry.coordination.Desired(
                        io.ferry.coordination.DesiredState.RUNNING, null, null, 0), System.currentTimeMillis());
        cluster.curator().create().creatingParentContainersIfNeeded()
                .forPath(ZPaths.process(pid), io.ferry.coordination.Json.write(record));

        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).contains("over the limit of 65,536 (ferry.limits.specBytes)");
        assertThat(c.describe(pid).record().spec().args().get(0)).hasSize(900_000); // readable, not wedged
    }

    @Test
    void aHugeErrorMessageIsStoredCutToFourKibibytesWithAMarker() {
        String pid = c.launch(ProcessSpec.of(HugeErrorProcess.class.getName(), "1500000"));

        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).startsWith("IllegalStateException: xxx").hasSizeLessThanOrEqualTo(4096)
                .endsWith("more characters cut]");
        assertThat(s.history().get(s.history().size() - 1).reason()).hasSizeLessThanOrEqualTo(4096);
    }

    @Test
    void aMissingClasspathEntryFailsNamingTheEntryInsteadOfStartingForever() {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "10", "cp.txt")
                .withClasspath(java.util.List.of("/no/such/classes.jar")));

        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).isEqualTo("Classpath entry /no/such/classes.jar does not exist on this node");
    }

    @Test
    void aClassWhoseStaticInitializerThrowsFailsWithWhatItThrew() {
        String pid = c.launch(ProcessSpec.of(BadStaticInit.class.getName()));

        ProcessStatus s = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(s.error()).isEqualTo("a static initializer threw java.lang.IllegalStateException: no config file"
                + " for BadStaticInit");
    }
}
