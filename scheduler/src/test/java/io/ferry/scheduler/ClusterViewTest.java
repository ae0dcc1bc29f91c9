package io.ferry.scheduler;

import static org.awaitility.Awaitility.await;

import io.ferry.coordination.Ensembles;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.NodeTable;
import io.ferry.coordination.Zk;
import io.ferry.coordination.ZPaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader's view of live nodes follows what ZooKeeper holds, including changes its cache sees no event for. */
class ClusterViewTest {
    TestingCluster ensemble;
    InstanceSpec leaderServer;
    CuratorFramework leader;
    CuratorFramework node;
    ClusterView view;
    /** Every node the view reported as joined (or changed), in order. */
    final List<String> joined = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ensemble = Ensembles.of(3);
        ensemble.start();
        List<InstanceSpec> servers = List.copyOf(ensemble.getInstances());
        leaderServer = servers.get(0);
        leader = connect(leaderServer); // each client on one server, so one can be cut off alone
        node = connect(servers.get(1));
        view = new ClusterView(leader, io.ferry.coordination.Limits.DEFAULT_SPEC_BYTES, pid -> { }, (id, isJoin) -> {
            if (isJoin) {
                joined.add(id);
            }
        });
        view.start();
        view.awaitLoaded();
    }

    @AfterEach
    void stop() throws Exception {
        view.close();
        leader.close();
        node.close();
        ensemble.close();
    }

    /**
     * A node that registers again (delete, create) while the scheduler is away leaves a znode of the same version,
     * so the scheduler's cache takes in the new session without an event. Placing work on the old session would
     * leave it unstarted for good.
     */
    @Test
    void nodeRegisteredAgainWhileTheSchedulerWasCutOffIsSeenWithItsNewSession() throws Exception {
        NodeTable nodes = new NodeTable(node);
        nodes.register(registration("old-session"));
        await().atMost(Duration.ofSeconds(20)).until(() -> session(view.liveNodes()).equals("old-session"));

        ensemble.killServer(leaderServer);
        node.delete().forPath(ZPaths.node("node-2"));
        nodes.register(registration("new-session"));
        ensemble.restartServer(leaderServer);

        await().atMost(Duration.ofSeconds(30)).until(() -> session(view.liveNodes()).equals("new-session"));
    }

    /**
     * The same return, seen by the reconciler: the view must report it as a join, or nothing looks again at what is
     * assigned to the old session or waits for a slot until the next full resync (the cache stores it silently).
     */
    @Test
    void nodeRegisteredAgainWhileTheSchedulerWasCutOffIsReportedAsJoined() throws Exception {
        NodeTable nodes = new NodeTable(node);
        nodes.register(registration("old-session"));
        await().atMost(Duration.ofSeconds(20)).until(() -> joined.contains("node-2"));
        joined.clear();

        ensemble.killServer(leaderServer);
        node.delete().forPath(ZPaths.node("node-2"));
        nodes.register(registration("new-session"));
        ensemble.restartServer(leaderServer);

        await().atMost(Duration.ofSeconds(30)).until(() -> session(view.liveNodes()).equals("new-session"));
        await().atMost(Duration.ofSeconds(10)).until(() -> joined.contains("node-2"));
    }

    private static String session(Map<String, NodeInfo> live) {
        NodeInfo n = live.get("node-2");
        return n == null ? "" : n.session();
    }

    private static NodeInfo registration(String session) {
        return new NodeInfo(NodeInfo.FORMAT, "node-2", "localhost", 2, Map.of(), "test", 1L, session, "/tmp", List.of(), null);
    }

    private static CuratorFramework connect(InstanceSpec server) {
        FerrySettings settings = FerrySettings.defaults()
                .with(FerrySettings.CONNECT, server.getConnectString())
                .with(FerrySettings.SESSION_TIMEOUT, "20s");
        return Zk.connect(settings, Duration.ofSeconds(20));
    }
}
