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
import java.util.List;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a 3-server ensemble: losing one server changes nothing; losing the quorum pauses everything, losing nothing. */
class EnsembleFailureTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir, 3).checkpointEvery(Duration.ofMillis(250));
        cluster.addScheduler("s1");
        cluster.addScheduler("s2");
        cluster.addNode("node-1", 2);
        cluster.addNode("node-2", 2);
        cluster.addNode("node-3", 2);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void migrationsAndRecoveriesCarryOnWhenOneServerDies() throws Exception {
        String moved = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "moved.txt", "1000"));
        String orphan = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "orphan.txt", "1000")
                .withNode("node-3"));
        c.awaitRunning(moved, null, FerryCluster.WAIT);
        c.awaitRunning(orphan, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> c.describe(orphan).status().snapshot() != null);

        cluster.ensemble.killServer(cluster.ensemble.getInstances().iterator().next());

        c.awaitMigrated(c.migrate(moved, null), FerryCluster.WAIT);
        cluster.crashNode("node-3");
        c.await(orphan, null, s -> s.state() == ProcessState.RUNNING && s.generation() > 1, "recover",
                FerryCluster.WAIT);

        for (String out : List.of("moved.txt", "orphan.txt")) {
            await().atMost(FerryCluster.WAIT).until(() -> c.list().stream().allMatch(v -> v.state().isTerminal()));
            assertThat(Files.readString(cluster.file(out))).as(out).isEqualTo(TickProcess.expected(3000));
            assertThat(TickProcess.maxConcurrentRuns(cluster.file(out))).isEqualTo(1);
        }
        assertThat(c.list()).allSatisfy(v -> assertThat(v.state()).isEqualTo(ProcessState.COMPLETED));
    }

    @Test
    void losingTheQuorumPausesProcessesAndLosesNothing() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "out.txt", "1000"));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        await().atMost(FerryCluster.WAIT).until(() -> c.describe(pid).status().snapshot() != null);

        List<InstanceSpec> servers = List.copyOf(cluster.ensemble.getInstances());
        cluster.ensemble.killServer(servers.get(0));
        cluster.ensemble.killServer(servers.get(1));
        await().atMost(FerryCluster.SESSION).pollInterval(Duration.ofMillis(10))
                .until(() -> !cluster.phaseOf(running.node(), pid).equals("IN_RUN"));
        cluster.restartServer(servers.get(0));
        cluster.restartServer(servers.get(1));

        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(3000));
        assertThat(TickProcess.maxConcurrentRuns(cluster.file("out.txt"))).isEqualTo(1);
    }
}
