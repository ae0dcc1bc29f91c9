package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a node holding many processes dies, the leader hands them to the other nodes at most
 * ferry.scheduler.startRate per node per second (a second's worth at once, then at that rate), spread over every
 * node with room, and says why the rest wait.
 */
class ThrottledRecoveryTest {
    static final int RATE = 2;
    static final int PROCESSES = 18;

    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).checkpointEvery(java.time.Duration.ofMillis(200));
        cluster.settings = cluster.settings.with("ferry.scheduler.startRate", "0"); // the launches at once: only the recovery is throttled
        cluster.addScheduler("unthrottled");
        cluster.addNode("big", PROCESSES);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aDeadNodesProcessesAreStartedElsewhereAtTheStartRateOfEachNode() throws Exception {
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            pids.add(c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "t" + i + ".txt", "1000")));
        }
        for (String pid : pids) {
            c.awaitRunning(pid, null, FerryCluster.WAIT);
            await().atMost(FerryCluster.WAIT).until(() -> c.describe(pid).status().snapshot() != null);
        }
        cluster.settings = cluster.settings.with("ferry.scheduler.startRate", Integer.toString(RATE));
        cluster.addScheduler("throttled");
        cluster.killScheduler(cluster.leader());
        for (int i = 1; i <= 3; i++) {
            cluster.addNode("node-" + i, PROCESSES / 3);
        }

        cluster.crashNode("big");
        Map<String, List<Long>> startsByNode = new HashMap<>();
        for (String pid : pids) {
            ProcessStatus s = c.await(pid, null, x -> x.state() == ProcessState.RUNNING && x.generation() == 2,
                    "run again", FerryCluster.WAIT);
            Transition placed = s.history().stream().filter(t -> t.state() == ProcessState.STARTING
                    && t.generation() == 2).findFirst().orElseThrow();
            startsByNode.computeIfAbsent(placed.node(), n -> new ArrayList<>()).add(placed.at());
        }

        assertThat(startsByNode).containsOnlyKeys("node-1", "node-2", "node-3");
        startsByNode.forEach((node, times) -> {
            times.sort(null);
            // a bucket of RATE refilled at RATE per second: k starts span at least (k - RATE) / RATE seconds
            for (int i = 0; i < times.size(); i++) {
                for (int j = i + RATE; j < times.size(); j++) {
                    int starts = j - i + 1;
                    assertThat(times.get(j) - times.get(i)).as("%s: %d starts", node, starts)
                            .isGreaterThanOrEqualTo((starts - RATE) * 1000L / RATE - 50);
                }
            }
        });
        assertThat(pids).anySatisfy(pid -> assertThat(c.describe(pid).status().history())
                .extracting(Transition::reason).contains("waiting: the nodes with room have started " + RATE
                        + " processes this second (ferry.scheduler.startRate)"));
    }
}
