package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ZPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finished processes are kept for a while and then removed, with their status, snapshots and logs, so that a
 * cluster's history stays bounded however many processes it has run; running ones are never touched.
 */
class RetentionTest {
    @TempDir
    Path dir;
    FerryCluster cluster;

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private FerryClient start(String keep, int maxFinished) throws Exception {
        cluster = new FerryCluster(dir).set("ferry.retention", keep)
                .set("ferry.retention.maxFinished", String.valueOf(maxFinished)).checkpointEvery(Duration.ofMillis(100)).resync(Duration.ofSeconds(1), Duration.ofMillis(500));
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 8);
        return cluster.client;
    }

    @Test
    void beyondTheCapTheOldestFinishedProcessesGoWithEverythingTheyLeft() throws Exception {
        FerryClient c = start("24h", 3);
        String running = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "long.txt", "1000"));
        List<String> finished = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "200", "t-" + i + ".txt", "100"));
            c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
            finished.add(pid);
        }

        await().atMost(FerryCluster.WAIT).untilAsserted(() -> {
            for (String pid : finished.subList(0, 3)) {
                assertGone(pid);
            }
        });
        for (String pid : finished.subList(3, 6)) {
            assertThat(c.describe(pid).state()).isEqualTo(ProcessState.COMPLETED);
        }
        assertThat(c.describe(running).state()).isEqualTo(ProcessState.RUNNING);
    }

    @Test
    void afterTheRetentionPeriodFinishedProcessesGoAndRunningOnesStay() throws Exception {
        FerryClient c = start("1s", 10_000);
        String running = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "long.txt", "1000"));
        String done = c.launch(ProcessSpec.of(TickProcess.class.getName(), "200", "short.txt", "100"));
        c.awaitState(done, null, ProcessState.COMPLETED, FerryCluster.WAIT);

        await().atMost(FerryCluster.WAIT).untilAsserted(() -> assertGone(done));
        assertThat(c.describe(running).state()).isEqualTo(ProcessState.RUNNING);
    }

    @Test
    void forgetRemovesAFinishedProcessAtOnceAndRefusesARunningOne() throws Exception {
        FerryClient c = start("24h", 10_000);
        String running = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "long.txt", "1000"));
        String done = c.launch(ProcessSpec.of(TickProcess.class.getName(), "200", "short.txt", "100"));
        c.awaitState(done, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        c.awaitRunning(running, null, FerryCluster.WAIT);

        assertThatThrownBy(() -> c.forget(running)).isInstanceOf(FerryException.class)
                .hasMessage("Cannot forget " + running + ": it is RUNNING; only a finished process can be forgotten"
                        + " (end it first with 'ferry terminate " + running + "')");
        c.forget(done);
        c.awaitGone(done, FerryCluster.WAIT);

        await().atMost(FerryCluster.WAIT).untilAsserted(() -> assertGone(done));
        assertThat(c.describe(running).state()).isEqualTo(ProcessState.RUNNING);
    }

    private void assertGone(String pid) throws Exception {
        for (String path : List.of(ZPaths.process(pid), ZPaths.status(pid), ZPaths.snapshot(pid), ZPaths.logs(pid))) {
            assertThat(cluster.curator().checkExists().forPath(path)).as(path).isNull();
        }
    }
}
