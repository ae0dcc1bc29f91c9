package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.Json;
import io.ferry.coordination.NodeView;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ZPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cordon and drain: a cordoned node gets no new work; a drain moves every process off its node, never more than
 * its parallelism at once, with each output byte for byte, and goes on when the leader dies midway.
 */
class DrainTest {
    private static final int COUNT = 3000;

    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir).isolation("thread");
        cluster.addScheduler("s1");
        cluster.leader();
        cluster.addScheduler("s2");
        cluster.addNode("node-1", 8);
        cluster.addNode("node-2", 4);
        cluster.addNode("node-3", 4);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aCordonedNodeGetsNoNewWork() throws Exception {
        c.cordon("node-1");
        c.cordon("node-2");
        assertThat(state("node-1")).isEqualTo("CORDONED");
        List<String> pids = launch(3, "c");
        for (String pid : pids) {
            assertThat(c.awaitRunning(pid, null, FerryCluster.WAIT).node()).isEqualTo("node-3");
        }
        assertThatThrownBy(() -> c.migrate(pids.get(0), "node-1")).isInstanceOf(FerryException.class)
                .hasMessage("node-1 is CORDONED: it takes no new work ('ferry node uncordon node-1' opens it again)");

        assertThat(c.uncordon("node-1")).isTrue();
        assertThat(state("node-1")).isEqualTo("READY");
        c.migrate(pids.get(0), "node-1");
        await().atMost(FerryCluster.WAIT).until(() -> "node-1".equals(c.describe(pids.get(0)).node())
                && c.describe(pids.get(0)).state() == ProcessState.RUNNING);
        for (int i = 0; i < pids.size(); i++) {
            c.awaitState(pids.get(i), null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(Files.readString(cluster.file("c" + i + ".txt"))).isEqualTo(TickProcess.expected(COUNT));
        }
    }

    @Test
    void aDrainMovesEveryProcessNeverMoreThanItsParallelismAtOnce() throws Exception {
        drain(false);
    }

    @Test
    void aDrainGoesOnWhenTheLeaderDiesMidway() throws Exception {
        drain(true);
    }

    private void drain(boolean killLeader) throws Exception {
        c.cordon("node-2");
        c.cordon("node-3");
        List<String> pids = launch(8, "d");
        for (String pid : pids) {
            assertThat(c.awaitRunning(pid, null, FerryCluster.WAIT).node()).isEqualTo("node-1");
        }
        c.uncordon("node-2");
        c.uncordon("node-3");

        AtomicInteger most = new AtomicInteger();
        try (CuratorCache statuses = CuratorCache.build(cluster.curator(), ZPaths.STATUS)) {
            Set<String> ours = Set.copyOf(pids);
            statuses.listenable().addListener((type, before, after) -> {
                long moving = statuses.stream().filter(d -> {
                    String pid = ZPaths.pidOf(ZPaths.STATUS, d.getPath()); // null for a bucket
                    return pid != null && ours.contains(pid);
                })
                        .map(d -> Json.read(d.getPath(), d.getData(), ProcessStatus.class))
                        .filter(s -> s.state() == ProcessState.SUSPENDED || s.state() == ProcessState.STARTING)
                        .count();
                most.accumulateAndGet((int) moving, Math::max);
            });
            statuses.start();

            c.drain("node-1", 2);
            assertThat(state("node-1")).isEqualTo("DRAINING");
            if (killLeader) {
                await().atMost(FerryCluster.WAIT).until(() -> pids.stream()
                        .anyMatch(pid -> !"node-1".equals(c.describe(pid).node())));
                cluster.killScheduler(cluster.leader());
            }
            await().atMost(FerryCluster.WAIT).until(() -> pidsOn("node-1").isEmpty() && pids.stream()
                    .allMatch(pid -> c.describe(pid).state() != ProcessState.STARTING));
        }
        assertThat(most.get()).as("moves under way at once").isBetween(1, 2);
        for (int i = 0; i < pids.size(); i++) {
            ProcessStatus done = c.awaitState(pids.get(i), null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(done.node()).isNotEqualTo("node-1");
            assertThat(Files.readString(cluster.file("d" + i + ".txt"))).isEqualTo(TickProcess.expected(COUNT));
        }
        assertThat(state("node-1")).as("it stays out until uncordoned").isEqualTo("DRAINING");
    }

    private List<String> launch(int n, String prefix) {
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pids.add(c.launch(ProcessSpec.of(TickProcess.class.getName(), String.valueOf(COUNT), prefix + i + ".txt",
                    "2000")));
        }
        return pids;
    }

    private String state(String node) {
        return c.nodes().stream().filter(v -> v.info().id().equals(node)).findFirst().map(NodeView::state)
                .orElseThrow();
    }

    private List<String> pidsOn(String node) {
        return c.nodes().stream().filter(v -> v.info().id().equals(node)).findFirst().map(NodeView::pids)
                .orElseThrow();
    }
}
