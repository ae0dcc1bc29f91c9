package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.Action;
import io.ferry.coordination.AssignmentTable;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Versioned;
import io.ferry.scheduler.Scheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Kill the leader at each step of a migration: the standby takes over and finishes; nothing is lost or doubled. */
class SchedulerFailoverTest {
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
        cluster.leader();
        cluster.addScheduler("s2");
        cluster.addNode("node-1", 2);
        cluster.addNode("node-2", 2);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    enum KillPoint {
        /** Right after the client asked for the migration. */
        AFTER_REQUEST,
        /** Once the leader has told the source to suspend. */
        AFTER_SUSPEND_ORDER,
        /** Once the source has reported SUSPENDED (the leader may already have placed it elsewhere). */
        AFTER_SOURCE_REPORTED
    }

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void standbyFinishesAMigrationItsLeaderStarted(KillPoint point) throws Exception {
        FerryClient c = cluster.client;
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "4000", "out.txt", "1000"));
        ProcessStatus running = c.awaitRunning(pid, null, FerryCluster.WAIT);
        Scheduler first = cluster.leader();

        FerryClient.Ticket ticket = c.migrate(pid, null);
        AssignmentTable assignments = new AssignmentTable(cluster.curator());
        switch (point) {
            case AFTER_REQUEST -> { }
            case AFTER_SUSPEND_ORDER -> await().atMost(FerryCluster.WAIT).until(() -> {
                Versioned<io.ferry.coordination.Assignment> a = assignments.read(running.node(), pid);
                return a == null || a.value().action() == Action.SUSPEND;
            });
            case AFTER_SOURCE_REPORTED -> await().atMost(FerryCluster.WAIT).pollInterval(Duration.ofMillis(5))
                    .until(() -> {
                        ProcessStatus s = c.describe(pid).status();
                        return s.state() != ProcessState.RUNNING || s.generation() > running.generation();
                    });
        }
        cluster.killScheduler(first);

        Scheduler standby = cluster.leader();
        assertThat(standby).isNotSameAs(first);
        ProcessStatus moved = c.awaitMigrated(ticket, FerryCluster.WAIT);
        assertThat(moved.node()).isNotEqualTo(running.node());
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(4000));
    }

    @Test
    void standbyPlacesALaunchMadeWhileThereWasNoLeader() throws Exception {
        cluster.killScheduler(cluster.leader());
        String pid = cluster.client.launch(ProcessSpec.of(TickProcess.class.getName(), "50", "out.txt", "10"));
        cluster.client.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(50));
    }
}
