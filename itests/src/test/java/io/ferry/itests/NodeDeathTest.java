package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a node dies, its processes continue elsewhere from their latest snapshot, output unchanged. */
class NodeDeathTest {
    @TempDir
    Path dir;
    FerryCluster cluster;

    /** Where the processes run: these tests hold in both isolations ({@code ...InJvmTest} runs them in jvm). */
    String isolation() {
        return "thread";
    }
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).isolation(isolation()).checkpointEvery(Duration.ofMillis(200));
        cluster.addScheduler("s1");
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void processOfACrashedNodeCompletesElsewhereWithIdenticalOutput() throws Exception {
        cluster.addNode("node-1", 2);
        cluster.addNode("node-2", 2);
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "out.txt", "1000")
                .withNode("node-1"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> {
            ProcessStatus s = c.describe(pid).status();
            return s.snapshot() != null && s.snapshot() >= 3;
        });

        cluster.crashNode("node-1");

        ProcessStatus recovered = c.await(pid, null, s -> s.state() == ProcessState.RUNNING && s.generation() == 2,
                "recover", FerryCluster.WAIT);
        assertThat(recovered.node()).isEqualTo("node-2");
        assertThat(recovered.history()).extracting(Transition::state).contains(ProcessState.LOST);
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(3000));
    }

    @Test
    void lostProcessWaitsForCapacityAndRecoversWhenANodeJoins() throws Exception {
        cluster.addNode("node-1", 1);
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1500", "out.txt", "1000"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> c.describe(pid).status().snapshot() != null);

        cluster.crashNode("node-1");
        c.await(pid, null, s -> s.state() == ProcessState.PENDING || s.state() == ProcessState.LOST, "lose",
                FerryCluster.WAIT);

        cluster.addNode("node-2", 1);
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(1500));
    }

    @Test
    void suspendedProcessIsUntouchedByNodeDeathAndResumesElsewhere() throws Exception {
        cluster.addNode("node-1", 1);
        cluster.addNode("node-2", 1);
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1500", "out.txt", "1000")
                .withNode("node-1"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        FerryClient.Ticket suspended = c.suspend(pid);
        c.awaitState(pid, suspended, ProcessState.SUSPENDED, FerryCluster.WAIT);

        cluster.crashNode("node-1");
        await().atMost(FerryCluster.WAIT).until(() -> c.nodes().size() == 1);
        assertThat(c.describe(pid).state()).isEqualTo(ProcessState.SUSPENDED);

        FerryClient.Ticket resumed = c.resume(pid, null);
        assertThat(c.awaitRunning(pid, resumed, FerryCluster.WAIT).node()).isEqualTo("node-2");
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(1500));
    }
}
