package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node cut off from ZooKeeper pauses; with its session it continues, without it it lets go. */
class CutOffNodeTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).checkpointEvery(Duration.ofMillis(200));
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 2);
        cluster.addNode("node-2", 2);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void nodePausesWhileZooKeeperIsAwayAndContinuesInTheSameSession() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "2500", "out.txt", "1000"));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> c.describe(pid).status().snapshot() != null);

        cluster.zk.stop();
        // Paused, or stopped inside a checkpoint whose write waits for ZooKeeper: either way not running.
        await().atMost(FerryCluster.SESSION.dividedBy(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> cluster.phaseOf(running.node(), pid).matches("PAUSED|STOPPED"));
        cluster.zk.restart();

        await().atMost(FerryCluster.WAIT).until(() -> cluster.phaseOf(running.node(), pid).equals("IN_RUN")
                || c.describe(pid).state() == ProcessState.COMPLETED);
        ProcessStatus done = c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(done.generation()).as("never moved: the session survived").isEqualTo(1);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(2500));
        assertThat(TickProcess.maxConcurrentRuns(cluster.file("out.txt"))).isEqualTo(1);
    }

    @Test
    void nodeCutOffLongerThanItsSessionLetsGoAndNeverRunsASecondCopy() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "out.txt", "1000"));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> c.describe(pid).status().snapshot() != null);

        cluster.zk.stop();
        // The node pauses at once, then lets go when its session timeout has passed without ZooKeeper.
        await().atMost(FerryCluster.SESSION.multipliedBy(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> cluster.phaseOf(running.node(), pid).equals("NONE"));
        cluster.zk.restart();

        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(c.describe(pid).generation()).as("placed again after the node let go").isGreaterThan(1);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(3000));
        assertThat(TickProcess.maxConcurrentRuns(cluster.file("out.txt"))).isEqualTo(1);
    }

    /**
     * A node whose client is told that its session expired (curator-test's KillSession, as when ZooKeeper expired
     * it during a pause) discards at once, registers again under a new session, and replaces its old registration;
     * the leader takes that for the old session leaving and recovers the process, fenced from the old copy.
     */
    @Test
    void nodeToldItsSessionExpiredLetsGoAndItsProcessRecovers() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "out.txt", "1000"));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> c.describe(pid).status().snapshot() != null);

        KillSession.kill(cluster.nodes.get(running.node()).curator().getZookeeperClient().getZooKeeper());

        ProcessStatus recovered = c.await(pid, null, s -> s.state() == ProcessState.RUNNING && s.generation() > 1,
                "recover", FerryCluster.WAIT);
        assertThat(recovered.session()).isNotEqualTo(running.session());
        await().atMost(FerryCluster.WAIT).until(() -> cluster.node(running.node()).isRegistered());
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(3000));
    }
}
