package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Transition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process whose node keeps dying while it runs (in one JVM per node, a process that calls System.exit takes its
 * node with it) is started again with a growing delay, and after ferry.restart.attempts such deaths it is FAILED
 * as a crash loop instead of taking every node down in turn.
 */
class CrashLoopTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir);
        cluster.addScheduler("s1");
        for (int i = 1; i <= 3; i++) {
            cluster.addNode("node-" + i, 2);
        }
        cluster.addNode("node-4", 1); // full with the bystander: the crash-looping process never lands there
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aProcessWhoseNodeDiesUnderItThreeTimesIsFailedAsACrashLoopAndSparesTheRest() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "loop.txt", "1000"));
        String bystander = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "ok.txt", "1000")
                .withNode("node-4"));
        c.awaitRunning(bystander, null, FerryCluster.WAIT);

        for (int death = 1; death <= 3; death++) {
            ProcessStatus running = c.await(pid, null, s -> s.state() == ProcessState.RUNNING
                    && !s.node().equals("node-4"), "running on a node to crash", FerryCluster.WAIT);
            cluster.crashNode(running.node()); // as its System.exit would
        }

        ProcessStatus failed = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(failed.error()).matches("lost 3 times within 10m00s, the last time as node node-[1-3] left: a"
                + " crash loop \\(ferry.restart.attempts is 3\\)");
        List<Transition> h = failed.history();
        List<Transition> lost = h.stream().filter(t -> t.state() == ProcessState.LOST).toList();
        assertThat(lost).hasSize(3);
        // the second restart waited at least the first back-off delay after its loss
        Transition secondLoss = lost.get(1);
        Transition restart = h.get(h.indexOf(secondLoss) + 1);
        assertThat(restart.state()).isEqualTo(ProcessState.STARTING);
        assertThat(restart.at() - secondLoss.at()).isGreaterThanOrEqualTo(1000);
        assertThat(c.describe(bystander).state()).isEqualTo(ProcessState.RUNNING);
        assertThat(c.describe(bystander).generation()).isEqualTo(1);
    }
}
