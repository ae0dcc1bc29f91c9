package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.Json;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.SnapshotMeta;
import io.ferry.coordination.ZPaths;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints on demand, and snapshots that must never be deserialized. */
class SnapshotIntegrityTest {
    @TempDir
    Path dir;
    FerryCluster cluster;
    FerryClient c;

    @BeforeEach
    void start() throws Exception {
        cluster = new FerryCluster(dir);
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 2);
        c = cluster.client;
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void checkpointOnDemandStoresASnapshotAndTheProcessCarriesOn() throws Exception {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "1500", "out.txt", "1000"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        for (int n = 1; n <= 3; n++) {
            FerryClient.Ticket t = c.checkpoint(pid);
            ProcessStatus s = c.awaitCheckpoint(t, n, FerryCluster.WAIT);
            assertThat(s.snapshot()).isNotNull();
            assertThat(s.checkpointAt()).isNotNull();
            assertThat(s.state()).isEqualTo(ProcessState.RUNNING);
        }
        assertThat(c.snapshot(pid)).hasValueSatisfying(m -> assertThat(m.size()).isPositive());
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(Files.readString(cluster.file("out.txt"))).isEqualTo(TickProcess.expected(1500));
    }

    @Test
    void snapshotWithABadChecksumIsNeverDeserialized() throws Exception {
        String pid = suspendedProcess();
        SnapshotMeta meta = c.snapshot(pid).orElseThrow();
        String chunk = ZPaths.snapshot(pid) + "/s-" + meta.seq() + "-" + meta.generation() + "/c-0";
        byte[] bytes = cluster.curator().getData().forPath(chunk);
        bytes[bytes.length / 2] ^= 0x5a;
        cluster.curator().setData().forPath(chunk, bytes);

        ProcessStatus s = resumeExpectingFailure(pid);
        assertThat(s.error()).contains("Snapshot " + meta.seq() + " of " + pid + " is corrupt: checksum mismatch");
    }

    @Test
    void hostileSnapshotIsStoppedByTheDeserializationFilter() throws Exception {
        String pid = suspendedProcess();
        replaceSnapshot(pid, deeplyNested(5000));

        ProcessStatus s = resumeExpectingFailure(pid);
        assertThat(s.error()).contains("exceeds the deserialization limits");
    }

    /** Serialized nested arrays, {@code depth} deep (serialized on a thread with a stack large enough for it). */
    private static byte[] deeplyNested(int depth) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exception[] failure = new Exception[1];
        Thread t = new Thread(null, () -> {
            Object[] root = new Object[1];
            Object[] cursor = root;
            for (int i = 0; i < depth; i++) {
                Object[] next = new Object[1];
                cursor[0] = next;
                cursor = next;
            }
            try (ObjectOutputStream o = new ObjectOutputStream(out)) {
                o.writeObject(root);
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "deep-serializer", 512L << 20);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return out.toByteArray();
    }

    private String suspendedProcess() {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "100000", "out.txt", "1000"));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        c.awaitState(pid, c.suspend(pid), ProcessState.SUSPENDED, FerryCluster.WAIT);
        return pid;
    }

    private ProcessStatus resumeExpectingFailure(String pid) {
        c.resume(pid, null);
        return c.await(pid, null, s -> s.state() == ProcessState.FAILED, "fail", FerryCluster.WAIT);
    }

    /** Writes {@code bytes} as the pid's snapshot with a valid checksum, as an attacker with ZooKeeper access could. */
    private void replaceSnapshot(String pid, byte[] bytes) throws Exception {
        SnapshotMeta meta = c.snapshot(pid).orElseThrow();
        String chunk = ZPaths.snapshot(pid) + "/s-" + meta.seq() + "-" + meta.generation() + "/c-0";
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        SnapshotMeta forged = new SnapshotMeta(meta.v(), pid, meta.seq(), meta.generation(), meta.className(),
                bytes.length, 1, crc.getValue(), meta.createdAt(), meta.node());
        cluster.curator().setData().forPath(chunk, bytes);
        cluster.curator().setData().forPath(ZPaths.snapshot(pid), Json.write(forged));
    }
}
