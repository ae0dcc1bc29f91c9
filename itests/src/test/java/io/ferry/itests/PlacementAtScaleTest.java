package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.NodeView;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlacementAtScaleTest {
    @TempDir
    Path dir;
    FerryCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir);
        cluster.addScheduler("s1");
        for (int i = 1; i <= 5; i++) {
            cluster.addNode("node-" + i, 4);
        }
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void twoHundredProcessesOnTwentySlotsAllCompleteOnceWithinSlots() throws Exception {
        FerryClient c = cluster.client;
        Map<String, Integer> peak = new ConcurrentHashMap<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                cluster.nodes.forEach((id, m) -> peak.merge(id, m.part().running().size(), Math::max));
                for (NodeView n : c.nodes()) {
                    peak.merge(n.info().id() + "/assigned", n.used(), Math::max);
                }
                Thread.onSpinWait();
            }
        }, "slot-sampler");
        sampler.start();

        List<ProcessSpec> specs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            specs.add(ProcessSpec.of(TickProcess.class.getName(), "20", "out-" + i + ".txt", "1000"));
        }
        List<String> pids = c.launchAll(specs);
        assertThat(pids).doesNotHaveDuplicates().hasSize(200);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                c.list().stream().filter(v -> pids.contains(v.pid())).allMatch(v -> v.state() == ProcessState.COMPLETED));
        sampling.set(false);
        sampler.join();

        assertThat(peak).allSatisfy((node, max) -> assertThat(max).as(node).isBetween(0, 4));
        for (int i = 0; i < 200; i++) {
            ProcessView v = c.describe(pids.get(i));
            assertThat(v.generation()).as("%s ran exactly once", v.pid()).isEqualTo(1);
            assertThat(Files.readString(cluster.file("out-" + i + ".txt"))).isEqualTo(TickProcess.expected(20));
        }
    }
}
