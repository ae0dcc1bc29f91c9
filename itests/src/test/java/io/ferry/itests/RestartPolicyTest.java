package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.RestartPolicy;
import io.ferry.coordination.Transition;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that fails on its node is started again by its restart policy from its latest snapshot, after a
 * growing delay, up to N times (and across a leader's death); by hand, a FAILED or TERMINATED one starts again from
 * its snapshot or from its arguments. Each output file ends byte for byte as one uninterrupted run writes it.
 */
class RestartPolicyTest {
    static final int TICKS = 3000;

    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).checkpointEvery(Duration.ofMillis(100));
        cluster.settings = cluster.settings.with("ferry.restart.delay", "300ms");
        cluster.addScheduler("s1");
        cluster.addScheduler("s2");
        cluster.addNode("node-1", 2);
        cluster.addNode("node-2", 2);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private ProcessSpec flaky(int failures, String out) {
        return ProcessSpec.of(FlakyProcess.class.getName(), Integer.toString(failures), Integer.toString(TICKS), out);
    }

    @Test
    void aProcessThatFailsTwiceIsRestartedTwiceAndEndsWithWholeOutputAcrossALeadersDeath() throws Exception {
        String pid = c.launch(flaky(2, "twice.txt").withRestart(RestartPolicy.parse("on-failure:3")));

        c.await(pid, null, s -> s.state() == ProcessState.RESTARTING, "fail once", FerryCluster.WAIT);
        cluster.killScheduler(cluster.leader()); // the next leader goes on with the restarts from the status

        ProcessStatus done = c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(done.retries()).isEqualTo(2);
        assertThat(done.history()).filteredOn(t -> t.state() == ProcessState.RESTARTING).extracting(Transition::reason)
                .containsExactly("IllegalStateException: flaky failure 1 at tick 750; restart 1 of 3 (on-failure:3)",
                        "IllegalStateException: flaky failure 2 at tick 1500; restart 2 of 3 (on-failure:3)");
        assertThat(FlakyProcess.runs(cluster.file("twice.txt"))).isEqualTo(3);
        assertThat(Files.readString(cluster.file("twice.txt"))).isEqualTo(TickProcess.expected(TICKS));
    }

    @Test
    void aProcessThatKeepsFailingIsFailedAfterItsRestartsAndCanBeRestartedByHand() throws Exception {
        String pid = c.launch(flaky(3, "always.txt").withRestart(RestartPolicy.parse("on-failure:2")));

        ProcessStatus failed = c.awaitState(pid, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(failed.retries()).isEqualTo(2);
        assertThat(failed.error()).isEqualTo("IllegalStateException: flaky failure 3 at tick 1800; after 2 restarts (on-failure:2)");
        assertThat(failed.history()).filteredOn(t -> t.state() == ProcessState.RESTARTING).hasSize(2);
        assertThat(FlakyProcess.runs(cluster.file("always.txt"))).isEqualTo(3);
        // the restarts waited 300 ms, then 600 ms
        java.util.List<Transition> h = failed.history();
        assertThat(startAfter(h, 1) - restartingAt(h, 1)).isGreaterThanOrEqualTo(300);
        assertThat(startAfter(h, 2) - restartingAt(h, 2)).isGreaterThanOrEqualTo(600);

        // by hand: from its last snapshot, its restarts counted afresh; the fourth run succeeds
        FerryClient.Ticket restart = c.restart(pid, false);
        ProcessStatus running = c.awaitRunning(pid, restart, FerryCluster.WAIT);
        assertThat(running.restarts()).isEqualTo(1);
        assertThat(running.retries()).isZero();
        ProcessStatus done = c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(done.history()).extracting(Transition::reason).anyMatch(r -> r.startsWith("restarted by hand,"
                + " from snapshot "));
        assertThat(Files.readString(cluster.file("always.txt"))).isEqualTo(TickProcess.expected(TICKS));

        assertThatThrownBy(() -> c.restart(pid, false)).isInstanceOf(FerryException.class)
                .hasMessage(pid + " is COMPLETED: only a FAILED or TERMINATED process can be restarted (a COMPLETED"
                        + " one is done: launch it again)");
    }

    @Test
    void withoutAPolicyAFailureIsFinalAndATerminatedProcessRestartsFreshFromItsArguments() throws Exception {
        String once = c.launch(flaky(1, "once.txt"));
        ProcessStatus failed = c.awaitState(once, null, ProcessState.FAILED, FerryCluster.WAIT);
        assertThat(failed.retries()).isZero();
        assertThat(failed.error()).isEqualTo("IllegalStateException: flaky failure 1 at tick 1000");

        String ticks = c.launch(ProcessSpec.of(TickProcess.class.getName(), "2000", "ticks.txt", "1000"));
        c.awaitRunning(ticks, null, FerryCluster.WAIT);
        assertThatThrownBy(() -> c.restart(ticks, true)).isInstanceOf(FerryException.class)
                .hasMessage(ticks + " is RUNNING: only a FAILED or TERMINATED process can be restarted (end it first"
                        + " with 'ferry terminate " + ticks + "')");
        c.awaitState(ticks, c.terminate(ticks), ProcessState.TERMINATED, FerryCluster.WAIT);
        long before = Files.size(cluster.file("ticks.txt"));
        assertThat(before).isPositive();

        ProcessStatus fresh = c.awaitRunning(ticks, c.restart(ticks, true), FerryCluster.WAIT);
        assertThat(fresh.history()).extracting(Transition::reason).contains("restarted by hand, from its arguments");
        c.awaitState(ticks, c.terminate(ticks), ProcessState.TERMINATED, FerryCluster.WAIT);
        ProcessStatus again = c.awaitRunning(ticks, c.restart(ticks, false), FerryCluster.WAIT);
        assertThat(again.restarts()).isEqualTo(2);
        c.awaitState(ticks, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("ticks.txt"))).isEqualTo(TickProcess.expected(2000));
    }

    /** When the {@code n}th RESTARTING of {@code h} was recorded. */
    private static long restartingAt(java.util.List<Transition> h, int n) {
        return h.stream().filter(t -> t.state() == ProcessState.RESTARTING).skip(n - 1).findFirst().orElseThrow().at();
    }

    /** When the process was next placed (STARTING) after its {@code n}th RESTARTING. */
    private static long startAfter(java.util.List<Transition> h, int n) {
        long at = restartingAt(h, n);
        return h.stream().filter(t -> t.state() == ProcessState.STARTING && t.at() >= at).findFirst().orElseThrow()
                .at();
    }
}
