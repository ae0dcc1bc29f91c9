package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessTable;
import io.ferry.coordination.ProcessView;
import io.ferry.coordination.ZPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pids live in buckets of 1,000 so no listing grows with the number of processes: processes whose pids straddle a
 * bucket run, migrate and list as any other, and a bucket that was emptied and removed (as ZooKeeper removes an
 * empty container) is created again by every writer that had it, client, leader and node alike.
 */
class BucketsTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).checkpointEvery(java.time.Duration.ofMillis(200));
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 8);
        cluster.addNode("node-2", 8);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void processesWhosePidsStraddleABucketRunMigrateAndListInPidOrder() throws Exception {
        skipPidsTo(998);
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pids.add(c.launch(ProcessSpec.of(TickProcess.class.getName(), "2000", "t-" + i + ".txt", "500")));
        }
        assertThat(pids).containsExactly("p-998", "p-999", "p-1000", "p-1001", "p-1002");
        ProcessStatus running = c.awaitRunning("p-1000", null, FerryCluster.WAIT);
        c.awaitMigrated(c.migrate("p-1000", null), FerryCluster.WAIT);
        assertThat(cluster.curator().getChildren().forPath(ZPaths.bucket(ZPaths.SNAPSHOTS, "p-1000")))
                .contains("p-1000");

        for (int i = 0; i < pids.size(); i++) {
            c.awaitState(pids.get(i), null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(Files.readString(cluster.file("t-" + i + ".txt"))).isEqualTo(TickProcess.expected(2000));
        }
        assertThat(c.describe("p-1000").generation()).isEqualTo(running.generation() + 1);
        assertThat(c.list()).extracting(ProcessView::pid).containsExactlyElementsOf(pids);
        assertThat(cluster.curator().getChildren().forPath(ZPaths.PROCESSES)).containsExactlyInAnyOrder("b-0", "b-1");
        assertThat(cluster.curator().getChildren().forPath("/status/b-1")).containsExactlyInAnyOrder(
                "p-1000", "p-1001", "p-1002");
    }

    @Test
    void aBucketRemovedOnceEmptyIsCreatedAgainByTheClientTheLeaderAndTheNode() throws Exception {
        skipPidsTo(2_000);
        String first = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000", "first.txt", "500")
                .withNode("node-1"));
        c.awaitState(first, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(c.describe(first).status().snapshot()).as("node-1 stored a snapshot, so it knows the bucket")
                .isNotNull();
        removeEmptiedBuckets(first);

        // a client that never wrote there: the leader and node-1 find the buckets they created gone
        String second = new FerryClient(cluster.curator()).launch(
                ProcessSpec.of(TickProcess.class.getName(), "2000", "second.txt", "500").withNode("node-1"));
        assertThat(ZPaths.bucket(ZPaths.STATUS, second)).isEqualTo(ZPaths.bucket(ZPaths.STATUS, first));
        c.awaitRunning(second, null, FerryCluster.WAIT);
        c.await(second, null, s -> s.snapshot() != null, "checkpoint", FerryCluster.WAIT);
        c.awaitState(second, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("second.txt"))).isEqualTo(TickProcess.expected(2000));
        removeEmptiedBuckets(second);

        // the client that created the record bucket before
        String third = c.launch(ProcessSpec.of(TickProcess.class.getName(), "2000", "third.txt", "500"));
        c.awaitState(third, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("third.txt"))).isEqualTo(TickProcess.expected(2000));
    }

    /** Forgets {@code pid}, then removes its buckets, now empty, as ZooKeeper removes an emptied container. */
    private void removeEmptiedBuckets(String pid) throws Exception {
        c.forget(pid);
        c.awaitGone(pid, FerryCluster.WAIT);
        org.awaitility.Awaitility.await().atMost(FerryCluster.WAIT).until(() ->
                cluster.curator().checkExists().forPath(ZPaths.snapshot(pid)) == null
                        && cluster.curator().checkExists().forPath(ZPaths.logs(pid)) == null);
        for (String root : ZPaths.BUCKETED) {
            if (cluster.curator().checkExists().forPath(ZPaths.bucket(root, pid)) != null) {
                cluster.curator().delete().forPath(ZPaths.bucket(root, pid));
            }
        }
    }

    /** Hands out pids until the next one is {@code p-(next)}: each handed out bumps the counter's version. */
    private void skipPidsTo(int next) throws Exception {
        ProcessTable table = new ProcessTable(cluster.curator());
        int last = Integer.parseInt(table.nextPids(1).get(0).substring(2));
        while (last < next - 1) {
            List<String> taken = table.nextPids(Math.min(500, next - 1 - last));
            last = Integer.parseInt(taken.get(taken.size() - 1).substring(2));
        }
    }
}
