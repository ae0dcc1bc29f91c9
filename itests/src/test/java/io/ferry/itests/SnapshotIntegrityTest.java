package io.ferry.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.Json;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.SnapshotKey;
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

/**
 * Checkpoints on demand, and snapshots that must never be deserialized: corrupt ones, forged ones (another class,
 * a huge array, a deep nest, or, when the cluster has a snapshot key, anything not signed with it). Each ends its
 * process FAILED with the reason, and the node goes on working.
 */
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
    void snapshotOfAnotherClassIsRefusedBeforeThatClassIsLoaded() throws Exception {
        String pid = suspendedProcess();
        Path victim = dir.resolve("victim.txt");
        Files.writeString(dir.resolve("in.txt"), "x marks the spot\n");
        // a bundled process aimed at a file of the forger's choosing (made before that file is written: making it
        // truncates its output)
        replaceSnapshot(pid, serialize(new io.ferry.examples.GrepProcess(new String[] {"x",
                dir.resolve("in.txt").toString(), victim.toString()})));
        Files.writeString(victim, "precious\n");

        ProcessStatus s = resumeExpectingFailure(pid);
        assertThat(s.error()).contains("Snapshot refused: it holds a io.ferry.examples.GrepProcess, not the "
                + TickProcess.class.getName() + " its spec names");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertNodeStillWorks();
    }

    @Test
    void snapshotDeclaringAHugeArrayIsRefusedBeforeItIsAllocated() throws Exception {
        String pid = c.launch(ProcessSpec.of(Hoarder.class.getName()));
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        c.awaitState(pid, c.suspend(pid), ProcessState.SUSPENDED, FerryCluster.WAIT);
        byte[] bytes = serialize(new Hoarder(new String[0]));
        // the array's length (4) comes right before its first element: make it 999,999,999 (8 GB of longs)
        int at = indexOf(bytes, new byte[] {0, 0, 0, 4, 1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(at).isPositive();
        java.nio.ByteBuffer.wrap(bytes, at, 4).putInt(999_999_999);
        replaceSnapshot(pid, bytes);

        ProcessStatus s = resumeExpectingFailure(pid);
        assertThat(s.error()).contains("Snapshot refused: it declares more than its " + bytes.length
                + " bytes can hold (an array of 999999999)");
        assertNodeStillWorks();
    }

    @Test
    void deeplyNestedSnapshotIsRefused() throws Exception {
        String pid = suspendedProcess();
        replaceSnapshot(pid, deeplyNested(5000));

        ProcessStatus s = resumeExpectingFailure(pid);
        assertThat(s.error()).contains("Snapshot refused: it holds a [Ljava.lang.Object;");
        assertNodeStillWorks();
    }

    @Test
    void withAClusterKeyOnlySignedSnapshotsAreRestored() throws Exception {
        cluster.close();
        Path key = dir.resolve("snapshot.key");
        SnapshotKey.generate().write(key);
        cluster = new FerryCluster(dir).set(SnapshotKey.FILE, key.toString());
        cluster.addScheduler("s1");
        cluster.addNode("node-1", 2);
        c = cluster.client;

        String pid = suspendedProcess();
        SnapshotMeta signed = c.snapshot(pid).orElseThrow();
        assertThat(signed.mac()).as("signed by the node").isNotNull();
        c.resume(pid, null); // its own, signed snapshot: restored
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        c.awaitState(pid, c.suspend(pid), ProcessState.SUSPENDED, FerryCluster.WAIT);

        // the same process's own bytes, with checksum and size right, but unsigned: as a forger without the key
        SnapshotMeta meta = c.snapshot(pid).orElseThrow();
        byte[] own = cluster.curator().getData().forPath(chunkOf(pid, meta));
        replaceSnapshot(pid, own);
        assertThat(resumeExpectingFailure(pid).error()).contains("is not signed, and this node restores only"
                + " snapshots signed with the cluster's key");

        String other = suspendedProcess();
        SnapshotMeta m = c.snapshot(other).orElseThrow();
        byte[] bytes = cluster.curator().getData().forPath(chunkOf(other, m));
        SnapshotMeta wrongKey = m.signedWith(SnapshotKey.generate().sign(m, bytes));
        cluster.curator().setData().forPath(ZPaths.snapshot(other), Json.write(wrongKey));
        assertThat(resumeExpectingFailure(other).error()).contains("was not signed with the cluster's key");
        assertNodeStillWorks();
    }

    @Test
    void anOlderOrAnotherProcessesGenuineSnapshotIsRefused() throws Exception {
        String pid = suspendedProcess();
        SnapshotMeta older = c.snapshot(pid).orElseThrow();
        byte[] olderBytes = cluster.curator().getData().forPath(chunkOf(pid, older));
        c.resume(pid, null);
        c.awaitRunning(pid, null, FerryCluster.WAIT);
        c.awaitState(pid, c.suspend(pid), ProcessState.SUSPENDED, FerryCluster.WAIT);
        // put the older one back, its chunks and all, as a replay would: its work would be done twice
        cluster.curator().create().creatingParentsIfNeeded().forPath(chunkOf(pid, older), olderBytes);
        cluster.curator().setData().forPath(ZPaths.snapshot(pid), Json.write(older));
        assertThat(resumeExpectingFailure(pid).error()).contains("The snapshot stored for " + pid + " is number "
                + older.seq() + ", but its status names " + (older.seq() + 1) + ": refused");

        String other = suspendedProcess();
        cluster.curator().setData().forPath(ZPaths.snapshot(other), Json.write(older)); // pid's, under other
        assertThat(resumeExpectingFailure(other).error()).contains("under " + other + " is " + pid + "'s: refused");
        assertNodeStillWorks();
    }

    private void assertNodeStillWorks() {
        String pid = c.launch(ProcessSpec.of(TickProcess.class.getName(), "50", "after.txt", "1000"));
        c.awaitState(pid, null, ProcessState.COMPLETED, FerryCluster.WAIT);
        assertThat(cluster.file("after.txt")).hasContent(TickProcess.expected(50));
    }

    private static String chunkOf(String pid, SnapshotMeta meta) {
        return ZPaths.snapshot(pid) + "/s-" + meta.seq() + "-" + meta.generation() + "/c-0";
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream s = new ObjectOutputStream(out)) {
            s.writeObject(o);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
        String chunk = chunkOf(pid, meta);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        SnapshotMeta forged = new SnapshotMeta(meta.v(), pid, meta.seq(), meta.generation(), meta.className(),
                bytes.length, 1, crc.getValue(), meta.createdAt(), meta.node());
        cluster.curator().setData().forPath(chunk, bytes);
        cluster.curator().setData().forPath(ZPaths.snapshot(pid), Json.write(forged));
    }
}
