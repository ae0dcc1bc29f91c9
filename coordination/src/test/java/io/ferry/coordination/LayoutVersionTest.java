package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster records the layout it was written in; a cluster of another layout is refused, never misread, and one of
 * layout 1 (every pid directly under its root) is moved into buckets by an upgrade that can be run again.
 */
class LayoutVersionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    TestingServer zk;
    FerrySettings settings;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        settings = FerrySettings.defaults().with(FerrySettings.CONNECT, zk.getConnectString());
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
    }

    @Test
    void aNewClusterIsStampedWithThisLayoutAndAnEmptyUnstampedOneToo() throws Exception {
        try (CuratorFramework c = Zk.connect(settings, WAIT)) {
            assertThat(text(c, ZPaths.LAYOUT)).isEqualTo("{\"v\":2}");
            c.delete().forPath(ZPaths.LAYOUT); // as a cluster written before layouts were recorded, holding nothing
        }
        try (CuratorFramework again = Zk.connect(settings, WAIT)) {
            assertThat(text(again, ZPaths.LAYOUT)).isEqualTo("{\"v\":2}");
        }
    }

    @Test
    void anUnstampedClusterHoldingPidsIsLayoutOneAndIsRefusedSayingHowToUpgrade() throws Exception {
        try (CuratorFramework c = Zk.connect(settings, WAIT)) {
            c.delete().forPath(ZPaths.LAYOUT);
            c.create().forPath("/processes/p-1", "{}".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> Zk.connect(settings, WAIT)).isInstanceOf(FerryException.class)
                .hasMessage("The cluster in ZooKeeper under namespace 'ferry' has layout version 1; this Ferry reads"
                        + " layout 2: stop its nodes and schedulers, then run 'ferry upgrade'");
    }

    @Test
    void aClusterOfAnotherLayoutIsRefusedNamingBothVersions() throws Exception {
        try (CuratorFramework c = Zk.connect(settings, WAIT)) {
            c.setData().forPath(ZPaths.LAYOUT, "{\"v\":3}".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> Zk.connect(settings, WAIT)).isInstanceOf(FerryException.class)
                .hasMessage("The cluster in ZooKeeper under namespace 'ferry' has layout version 3; this Ferry reads"
                        + " layout 2: use the Ferry release that wrote it, or another ferry.zk.namespace");
        try (CuratorFramework c = Zk.connectAnyLayout(settings, WAIT)) {
            assertThatThrownBy(() -> Layout.upgrade(c)).hasMessageContaining("has layout version 3");
        }
    }

    @Test
    void anUpgradeMovesEveryPidIntoItsBucketKeepingRecordsSnapshotsAndLogsInOrder() throws Exception {
        try (CuratorFramework c = Zk.connectAnyLayout(settings, WAIT)) {
            writeLayoutOne(c);

            Layout.Upgrade done = Layout.upgrade(c);

            assertThat(done).isEqualTo(new Layout.Upgrade(1, 2, 2));
            assertThat(text(c, ZPaths.LAYOUT)).isEqualTo("{\"v\":2}");
            assertThat(text(c, "/processes/b-0/p-7")).isEqualTo("record 7");
            assertThat(text(c, "/processes/b-1/p-1234")).isEqualTo("record 1234");
            assertThat(text(c, "/status/b-1/p-1234")).isEqualTo("status 1234");
            assertThat(text(c, "/snapshots/b-1/p-1234")).isEqualTo("pointer");
            assertThat(text(c, "/snapshots/b-1/p-1234/s-3-2/c-0")).isEqualTo("state");
            for (String root : ZPaths.BUCKETED) {
                assertThat(c.getChildren().forPath(root)).as(root).allMatch(name -> name.startsWith("b-"));
            }
            assertThat(c.checkExists().forPath("/processes/b-1").getEphemeralOwner()).isZero();

            // the log reads in its old order, and what is appended after the upgrade comes after it
            LogStore logs = new LogStore(c, 1 << 20);
            logs.append("p-1234", "third".getBytes(StandardCharsets.UTF_8));
            assertThat(logs.read("p-1234", null, null)).extracting(chunk -> new String(chunk.bytes(),
                    StandardCharsets.UTF_8)).containsExactly("first", "second", "third");
        }
        try (CuratorFramework c = Zk.connect(settings, WAIT)) {
            assertThat(new ProcessTable(c).pids()).containsExactlyInAnyOrder("p-7", "p-1234");
        }
    }

    @Test
    void anUpgradeThatStoppedPartWayIsRefusedByEveryoneAndFinishedByRunningItAgain() throws Exception {
        try (CuratorFramework c = Zk.connectAnyLayout(settings, WAIT)) {
            writeLayoutOne(c);
            // as if it stopped after copying p-7's record but before deleting it, with the mark set
            c.create().creatingParentContainersIfNeeded().forPath("/processes/b-0/p-7", bytes("record 7"));
            c.setData().forPath(ZPaths.LAYOUT, bytes("{\"v\":2,\"upgrading\":true}"));
        }
        assertThatThrownBy(() -> Zk.connect(settings, WAIT)).hasMessageContaining(
                "was being upgraded to layout 2 when the upgrade stopped: run 'ferry upgrade' again");

        try (CuratorFramework c = Zk.connectAnyLayout(settings, WAIT)) {
            assertThat(Layout.upgrade(c).pids()).isEqualTo(2);
            assertThat(text(c, "/processes/b-0/p-7")).isEqualTo("record 7");
            assertThat(c.checkExists().forPath("/processes/p-7")).isNull();
            assertThat(Layout.upgrade(c)).isEqualTo(new Layout.Upgrade(2, 2, 0));
        }
    }

    @Test
    void anUpgradeIsRefusedWhileANodeIsRegistered() throws Exception {
        try (CuratorFramework c = Zk.connectAnyLayout(settings, WAIT)) {
            writeLayoutOne(c);
            c.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath("/nodes/node-1");

            assertThatThrownBy(() -> Layout.upgrade(c)).isInstanceOf(FerryException.class)
                    .hasMessage("Cannot upgrade while nodes run against the cluster (/nodes has [node-1]): stop them"
                            + " first");
            assertThat(text(c, "/processes/p-7")).isEqualTo("record 7");
            assertThat(text(c, ZPaths.LAYOUT)).isEqualTo("{\"v\":1}");
        }
    }

    /** A cluster as layout 1 wrote it: two pids, one with a status, a snapshot and a log whose chunks were trimmed. */
    private static void writeLayoutOne(CuratorFramework c) throws Exception {
        c.create().creatingParentsIfNeeded().forPath(ZPaths.LAYOUT, bytes("{\"v\":1}"));
        c.create().creatingParentsIfNeeded().forPath("/processes/p-7", bytes("record 7"));
        c.create().forPath("/processes/p-1234", bytes("record 1234"));
        c.create().creatingParentsIfNeeded().forPath("/status/p-1234", bytes("status 1234"));
        c.create().creatingParentsIfNeeded().forPath("/snapshots/p-1234/s-3-2/c-0", bytes("state"));
        c.setData().forPath("/snapshots/p-1234", bytes("pointer"));
        String log = "/logs/p-1234/l-";
        for (String chunk : List.of("trimmed", "trimmed", "first", "second")) {
            c.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(log + chunk.length() + "-", bytes(chunk));
        }
        List<String> chunks = new java.util.ArrayList<>(c.getChildren().forPath("/logs/p-1234"));
        chunks.sort(java.util.Comparator.comparing(name -> name.substring(name.lastIndexOf('-'))));
        for (String trimmed : chunks.subList(0, 2)) {
            c.delete().forPath("/logs/p-1234/" + trimmed);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(CuratorFramework c, String path) throws Exception {
        return new String(c.getData().forPath(path), StandardCharsets.UTF_8);
    }
}
