package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many records are read in batched read-only multis across buckets: missing and unreadable ones are left out, and
 * never hide the others or fail the read.
 */
class ManyReadsTest {
    TestingServer zk;
    CuratorFramework client;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        client = Zk.connect(FerrySettings.defaults().with(FerrySettings.CONNECT, zk.getConnectString()),
                Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        zk.close();
    }

    @Test
    void recordsAcrossBucketsAreReadLeavingOutMissingAndMalformedOnes() throws Exception {
        ProcessTable table = new ProcessTable(client);
        List<ProcessRecord> records = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        for (int n = 990; n < 1090; n++) {
            String pid = Names.pid(n);
            asked.add(pid);
            if (n % 10 != 3) {
                records.add(new ProcessRecord(ProcessRecord.FORMAT, pid, ProcessSpec.of("X", "a"),
                        new Desired(DesiredState.RUNNING, null, null, 0), 1L));
            }
        }
        table.createAll(records);
        client.setData().forPath(ZPaths.process("p-1001"), "{broken".getBytes(StandardCharsets.UTF_8));

        java.util.Map<String, Versioned<ProcessRecord>> read = table.read(asked);

        assertThat(read).hasSize(records.size() - 1).doesNotContainKeys("p-993", "p-1003", "p-1001");
        assertThat(read.get("p-1089").value().pid()).isEqualTo("p-1089");
        assertThat(table.pids()).hasSize(records.size());
        assertThat(client.getChildren().forPath(ZPaths.PROCESSES)).containsExactlyInAnyOrder("b-0", "b-1");
    }
}
