package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ZPaths;
import io.ferry.coordination.Zk;
import io.ferry.scheduler.Scheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured cluster (ZooKeeper requires SASL of every session; each part authenticates as its role and creates
 * znodes with Ferry's ACLs): nobody unauthenticated reads or writes, each role writes only what it owns, and
 * processes migrate, recover from a node's crash and survive a scheduler failover exactly as in an open one.
 */
class SecurityTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = FerryCluster.secured(Files.createDirectories(dir.resolve("work")), dir.resolve("secure"));
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
    void nobodyUnauthenticatedReadsOrWrites() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "10", "a.txt", "1000"));
        assertThatThrownBy(() -> Zk.connect(cluster.settings, FerryCluster.WAIT)).isInstanceOf(FerryException.class)
                .hasMessage("Not authorized by ZooKeeper at " + cluster.settings.connectString() + ": the cluster is"
                        + " secured; run with the properties file 'ferry secure init' wrote for your role"
                        + " (FERRY_CONF=DIR/client.properties)");
        try (CuratorFramework raw = CuratorFrameworkFactory.newClient(cluster.zk.getConnectString(),
                new RetryOneTime(100))) {
            raw.start();
            raw.blockUntilConnected();
            assertThatThrownBy(() -> raw.getData().forPath("/ferry" + ZPaths.process(pid)))
                    .isInstanceOf(KeeperException.class);
        }
    }

    @Test
    void eachRoleWritesOnlyWhatItOwns() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "100000", "b.txt", "1000"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        String node = c.describe(pid).node();
        String assignment = ZPaths.assignments(node) + "/" + pid;

        try (CuratorFramework client = Zk.connect(cluster.as("client"), FerryCluster.WAIT)) {
            assertNoAuth(() -> client.setData().forPath(ZPaths.status(pid), new byte[0]));
            assertNoAuth(() -> client.setData().forPath(assignment, new byte[0]));
            assertNoAuth(() -> client.create().forPath(ZPaths.assignments(node) + "/p-999999", new byte[0]));
            assertNoAuth(() -> client.setData().forPath(ZPaths.node(node), new byte[0]));
        }
        try (CuratorFramework nodeRole = Zk.connect(cluster.as("node"), FerryCluster.WAIT)) {
            assertNoAuth(() -> nodeRole.setData().forPath(ZPaths.process(pid), new byte[0]));
            assertNoAuth(() -> nodeRole.create().forPath(ZPaths.bucket(ZPaths.PROCESSES, pid) + "/p-999",
                    new byte[0])); // in the bucket that exists
            assertNoAuth(() -> nodeRole.setData().forPath(assignment, new byte[0]));
            assertNoAuth(() -> nodeRole.setData().forPath(ZPaths.EPOCH, new byte[0]));
        }
        try (CuratorFramework reader = Zk.connect(cluster.as("reader"), FerryCluster.WAIT)) {
            assertThat(new FerryClient(reader).describe(pid).state()).as("a reader reads").isEqualTo(
                    ProcessState.RUNNING);
            assertNoAuth(() -> reader.setData().forPath(ZPaths.process(pid), new byte[0]));
            assertNoAuth(() -> new FerryClient(reader).terminate(pid));
        }
        assertThat(c.describe(pid).state()).as("untouched by all that").isEqualTo(ProcessState.RUNNING);
        c.awaitState(pid, c.terminate(pid), ProcessState.TERMINATED, FerryCluster.WAIT);
    }

    @Test
    void processesMigrateRecoverAndSurviveFailoverExactlyOnce() throws Exception {
        Scheduler standby = cluster.addScheduler("s2");
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "3000", "out.txt", "1000")
                .withCheckpointEveryMs(300L));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        String from = c.describe(pid).node();
        c.awaitMigrated(c.migrate(pid, null), FerryCluster.WAIT);
        assertThat(c.describe(pid).node()).isNotEqualTo(from);
        assertThat(c.snapshot(pid).orElseThrow().mac()).as("snapshots signed by the nodes").isNotNull();

        cluster.killScheduler(cluster.leader());
        org.awaitility.Awaitility.await().atMost(FerryCluster.WAIT).until(standby::isLeader);
        cluster.crashNode(c.describe(pid).node());
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT.multipliedBy(2));
        assertThat(cluster.file("out.txt")).hasContent(TickProcess.expected(3000));
    }

    @Test
    void aForgottenProcessLeavesNothingBehindUnderTheAcls() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "200", "c.txt", "1000")
                .withCheckpointEveryMs(50L));
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        c.forget(pid);
        // the scheduler deletes its record, status and snapshot subtree (chunks included) as its role may
        org.awaitility.Awaitility.await().atMost(FerryCluster.WAIT).until(() ->
                cluster.curator().checkExists().forPath(ZPaths.process(pid)) == null
                        && cluster.curator().checkExists().forPath(ZPaths.status(pid)) == null
                        && cluster.curator().checkExists().forPath(ZPaths.snapshot(pid)) == null);
    }

    @Test
    void aSecuredPartRefusesAClusterCreatedOpen() throws Exception {
        try (FerryCluster open = new FerryCluster(Files.createDirectories(dir.resolve("open")))) {
            assertThatThrownBy(() -> Zk.connect(cluster.secure.apply(open.settings, "client"), FerryCluster.WAIT))
                    .isInstanceOf(FerryException.class).hasMessageContaining("was created without security, and"
                            + " this part authenticates: Ferry never runs a cluster half-secured");
        }
    }

    private static void assertNoAuth(org.assertj.core.api.ThrowableAssert.ThrowingCallable write) {
        assertThatThrownBy(write).satisfiesAnyOf(
                e -> assertThat(e).isInstanceOf(KeeperException.NoAuthException.class),
                e -> assertThat(e).hasRootCauseInstanceOf(KeeperException.NoAuthException.class));
    }
}
