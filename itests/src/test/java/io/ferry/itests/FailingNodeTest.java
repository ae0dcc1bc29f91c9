package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.Avoidance;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.NodeView;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.RestartPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on which different processes fail to start (here it lacks the directory their classpath names, as a node
 * missing a library would) is avoided: new work goes to the other nodes while they have room, also under a new
 * leader, and to it only when they are full; clients see it AVOIDED with the failures named.
 */
class FailingNodeTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir);
        cluster.settings = cluster.settings.with("ferry.scheduler.avoid.failures", "2");
        cluster.addScheduler("s1");
        cluster.addScheduler("s2");
        Files.createDirectories(dir.resolve("plugin"));
        Path bare = Files.createDirectories(dir.resolve("bare"));
        cluster.addNode("node-a", 4, bare); // the most free slots: chosen first while it is not avoided
        cluster.addNode("node-b", 2);
        cluster.addNode("node-c", 2);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private ProcessSpec needsPlugin(String out) {
        return ProcessSpec.of(TickProcess.class.getName(), "300", out, "1000").withClasspath(List.of("plugin"))
                .withRestart(RestartPolicy.parse("on-failure:2"));
    }

    @Test
    void aNodeWhereTwoProcessesFailedToStartIsAvoidedWhileOthersHaveRoom() throws Exception {
        for (String out : List.of("one.txt", "two.txt")) {
            String pid = c.launch(needsPlugin(out));
            ProcessStatus done = c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
            assertThat(done.history()).filteredOn(t -> t.state() == ProcessState.RESTARTING)
                    .singleElement().satisfies(t -> assertThat(t.node()).isEqualTo("node-a"));
            assertThat(done.node()).isIn("node-b", "node-c"); // its restart went elsewhere
            assertThat(Files.readString(dir.resolve(out))).isEqualTo(TickProcess.expected(300));
        }
        Avoidance avoided = await().atMost(FerryCluster.WAIT).until(() -> node("node-a").avoided(), a -> a != null);
        assertThat(node("node-a").state()).isEqualTo("AVOIDED");
        assertThat(avoided.failures()).hasSize(2).allMatch(f -> f.matches("p-[12]: .*plugin.*"));

        cluster.killScheduler(cluster.leader()); // the next leader reads the same verdict from the histories
        String elsewhere = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "b1.txt", "1000"));
        assertThat(c.awaitRunning(elsewhere, null, FerryCluster.WAIT).node()).isIn("node-b", "node-c");
        assertThat(node("node-a").state()).isEqualTo("AVOIDED");

        // with the other nodes full, the avoided one still takes work rather than leaving it pending
        for (int i = 2; i <= 4; i++) {
            c.awaitRunning(c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "b" + i + ".txt", "1000")),
                    null, FerryCluster.WAIT);
        }
        String last = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1000000", "last.txt", "1000"));
        assertThat(c.awaitRunning(last, null, FerryCluster.WAIT).node()).isEqualTo("node-a");
    }

    private NodeView node(String id) {
        return c.nodes().stream().filter(n -> n.info().id().equals(id)).findFirst().orElseThrow();
    }
}
