package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole cluster stopped cleanly (what 'ferry local' does on Ctrl-C) is not a crash: its processes are stored as
 * SUSPENDED, "cluster stopped", never LOST and never placed on nodes that are leaving too, and they continue where
 * they were when the cluster starts again.
 */
class ClusterStopTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir);
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
    void aStoppedClusterSuspendsItsProcessesAndTheyContinueExactlyWhenItStartsAgain() throws Exception {
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pids.add(c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "stop-" + i + ".txt", "1000")));
        }
        for (String pid : pids) {
            c.awaitRunning(pid, null, FerryCluster.WAIT);
        }

        cluster.stopAll();

        for (String pid : pids) {
            ProcessStatus s = c.describe(pid).status();
            assertThat(s.state()).isEqualTo(ProcessState.SUSPENDED);
            assertThat(s.history().get(s.history().size() - 1).reason()).isEqualTo("cluster stopped");
            assertThat(s.history()).extracting(Transition::state).doesNotContain(ProcessState.LOST);
            assertThat(s.generation()).isEqualTo(1);
        }

        cluster.addScheduler("s2");
        cluster.addNode("node-1", 4);
        for (int i = 0; i < pids.size(); i++) {
            c.awaitState(pids.get(i), null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(Files.readString(cluster.file("stop-" + i + ".txt"))).isEqualTo(TickProcess.expected(3000));
        }
    }
}
