package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreLifecycleTest {
    @TempDir
    Path dir;
    FerryCluster cluster;

    /** Where the processes run: these tests hold in both isolations ({@code ...InJvmTest} runs them in jvm). */
    String isolation() {
        return "thread";
    }

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).isolation(isolation());
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 4);
        cluster.addNode("node-2", 4);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void launchedProcessRunsToCompletion() throws Exception {
        String pid = cluster.client.launch(ProcessSpec.of(TickProcess.class.getName(), "200", "out.txt", "10"));
        ProcessStatus done = cluster.client.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(done.generation()).isEqualTo(1);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(200));
    }

    @Test
    void nodeLeavingCleanlyHandsItsProcessOnFromAFreshSnapshot() throws Exception {
        FerryClient c = cluster.client;
        String longer = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "longer.txt", "1000"));
        c.awaitRunning(longer, null, FerryCluster.WAIT);
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "out.txt", "500", "left.txt"));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        assertThat(running.snapshot()).as("periodic checkpoints are off in this cluster").isNull();

        cluster.closeNode(running.node());

        ProcessStatus moved = c.await(pid, null, s -> s.state() == ProcessState.RUNNING && s.generation() == 2,
                "move", FerryCluster.WAIT);
        assertThat(moved.node()).isNotEqualTo(running.node());
        assertThat(moved.snapshot()).as("the leaving node stored one").isNotNull();
        c.await(longer, null, s -> s.state() == ProcessState.RUNNING && s.node().equals(moved.node()), "move",
                FerryCluster.WAIT);
        assertThatThrownBy(() -> c.migrate(longer, null)).isInstanceOf(FerryException.class)
                .hasMessage("No other live node can take " + longer + " (see 'ferry nodes')");
        Files.writeString(cluster.file("left.txt"), "go"); // held half-way until it has moved
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(3000));
    }

    @Test
    void migratedProcessWritesSameBytesAsUninterruptedRun() throws Exception {
        FerryClient c = cluster.client;
        // held half-way until moved four times, however slowly the moves go on a loaded machine
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "out.txt", "500", "moved.txt"));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        String first = running.node();
        for (int i = 0; i < 4; i++) {
            FerryClient.Ticket t = c.migrate(pid, null);
            ProcessStatus moved = c.awaitMigrated(t, FerryCluster.WAIT);
            assertThat(moved.node()).isNotEqualTo(t.before().node());
        }
        Files.writeString(cluster.file("moved.txt"), "go");
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(3000));
        assertThat(first).isNotNull();
    }
}
