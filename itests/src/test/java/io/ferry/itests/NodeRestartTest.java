package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.Json;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.ProcessIdentity;
import io.ferry.coordination.ZPaths;
import io.ferry.coordination.Zk;
import io.ferry.node.NodeAgent;
import io.ferry.node.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose id is still registered by another session: the registration a killed node leaves behind, which
 * ZooKeeper keeps for the whole session timeout. Each test plants such a registration from a session of its own,
 * with the process identity the case needs, then starts the node. (KillNineIT's supervised restart does the same
 * with a real node JVM killed with kill -9.)
 */
class NodeRestartTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    CuratorFramework holder;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir);
        cluster.addScheduler("s1");
        holder = Zk.connect(cluster.settings, FerryCluster.WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        holder.close();
        cluster.close();
    }

    @Test
    void aRegistrationLeftByAProcessThatHasExitedOnThisHostIsTakenOverAtOnce() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        plant(new ProcessIdentity(host(), ProcessIdentity.currentBootId(), exited.pid(), 1L));

        NodeAgent node = cluster.startNode("node-1", 2);

        await().atMost(Duration.ofSeconds(2)).until(node::isRegistered); // the session timeout is 4 s
        NodeInfo now = cluster.client.nodes().get(0).info();
        assertThat(now.session()).isNotEqualTo(Zk.sessionId(holder));
        assertThat(now.agent().pid()).isEqualTo(ProcessHandle.current().pid());
    }

    @Test
    void aRegistrationFromAnotherHostIsWaitedOutNotRemoved() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        plant(new ProcessIdentity("elsewhere", ProcessIdentity.currentBootId(), exited.pid(), 1L));

        NodeAgent node = cluster.startNode("node-1", 2);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> !node.isRegistered() && holder.checkExists().forPath(ZPaths.node("node-1")) != null);
        holder.close(); // that node's session ends: now the id is free
        await().atMost(FerryCluster.WAIT).until(node::isRegistered);
        assertThat(node.refusal()).isNull();
    }

    @Test
    void anIdHeldByALiveProcessLongerThanASessionCanLiveIsRefusedNamingItsHostAndProcess() throws Exception {
        plant(ProcessIdentity.current(host())); // this very JVM: alive beyond doubt

        NodeAgent node = cluster.startNode("node-1", 2);

        await().atMost(FerryCluster.WAIT).until(() -> node.refusal() != null);
        assertThat(node.refusal()).contains("Node id node-1 is taken by a live node: pid "
                + ProcessHandle.current().pid() + " on " + host()).contains("another --id");
        assertThat(node.isRegistered()).isFalse();
        assertThat(holder.checkExists().forPath(ZPaths.node("node-1"))).isNotNull();
    }

    /** Registers node-1 from the holder's session, as the node whose process is {@code agent} did. */
    private void plant(ProcessIdentity agent) throws Exception {
        NodeInfo info = new NodeInfo(NodeInfo.FORMAT, "node-1", agent.host(), 2, Map.of(), "test",
                System.currentTimeMillis(), Zk.sessionId(holder), dir.toString(), List.of(), agent);
        Zk.ensureLayout(holder);
        holder.create().withMode(CreateMode.EPHEMERAL).forPath(ZPaths.node("node-1"), Json.write(info));
    }

    private String host() {
        return NodeConfig.from(cluster.settings, "probe", dir).host();
    }
}
