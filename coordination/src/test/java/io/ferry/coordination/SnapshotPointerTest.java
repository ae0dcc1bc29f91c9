package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A writer that knows the snapshot pointer skips reading it; one that knows a stale pointer stores nothing. */
class SnapshotPointerTest {
    TestingServer zk;
    CuratorFramework client;
    SnapshotStore store;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        client = Zk.connect(FerrySettings.defaults().with(FerrySettings.CONNECT, zk.getConnectString()),
                Duration.ofSeconds(20));
        store = new SnapshotStore(client, 64L * 1024 * 1024);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        zk.close();
    }

    @Test
    void eachStoreReturnsThePointerTheNextOneNeeds() throws Exception {
        SnapshotStore.Stored first = store(SnapshotStore.Pointer.NONE, "one");
        SnapshotStore.Stored second = store(first.pointer(), "two");
        SnapshotStore.Stored third = store(second.pointer(), bigState()); // chunks written ahead, then flipped

        assertThat(third.pointer()).isEqualTo(store.pointer("p-1"));
        assertThat(third.meta().seq()).isEqualTo(3);
        assertThat(store.load("p-1", third.pointer()).orElseThrow().bytes()).isEqualTo(bigState());
        assertThat(client.getChildren().forPath(ZPaths.snapshot("p-1"))).as("older snapshots deleted").hasSize(1);
    }

    @Test
    void aStalePointerMakesTheStoreFailAndLeavesTheCurrentSnapshot() throws Exception {
        SnapshotStore.Stored first = store(null, "one");
        SnapshotStore.Stored second = store(first.pointer(), "two");

        assertThatThrownBy(() -> store(first.pointer(), "stale")).isInstanceOf(KeeperException.class);
        assertThatThrownBy(() -> store(SnapshotStore.Pointer.NONE, "stale"))
                .isInstanceOf(KeeperException.NodeExistsException.class);

        assertThat(store.pointer("p-1")).isEqualTo(second.pointer());
        assertThat(text(store.load("p-1", null).orElseThrow().bytes())).isEqualTo("two");
        assertThat(client.getChildren().forPath(ZPaths.snapshot("p-1"))).hasSize(1);
    }

    @Test
    void loadingAReplacedSnapshotFollowsThePointerAgain() throws Exception {
        SnapshotStore.Stored first = store(null, "one");
        store(first.pointer(), "two");

        assertThat(text(store.load("p-1", first.pointer()).orElseThrow().bytes())).isEqualTo("two");
        assertThat(store.load("p-2", SnapshotStore.Pointer.NONE)).isEmpty();
    }

    @Test
    void oneRequestReadsSeveralZnodesAndReportsMissingOnesAsAbsent() throws Exception {
        SnapshotStore.Stored stored = store(null, "one");
        ProcessStatus status = ProcessStatus.pending("p-1", 1L, "accepted");
        client.create().creatingParentContainersIfNeeded().forPath(ZPaths.status("p-1"), Json.write(status));

        MultiRead reads = new MultiRead(client);
        MultiRead.Slot<Versioned<ProcessStatus>> present = new StatusTable(client).read(reads, "p-1");
        MultiRead.Slot<Versioned<ProcessRecord>> missing = new ProcessTable(client).read(reads, "p-1");
        MultiRead.Slot<SnapshotStore.Pointer> pointer = store.pointer(reads, "p-1");
        MultiRead.Slot<SnapshotStore.Pointer> none = store.pointer(reads, "p-2");
        assertThatThrownBy(present::get).isInstanceOf(IllegalStateException.class);
        reads.execute();

        assertThat(present.get()).isEqualTo(new Versioned<>(status, 0));
        assertThat(missing.get()).isNull();
        assertThat(pointer.get()).isEqualTo(stored.pointer());
        assertThat(none.get()).isEqualTo(SnapshotStore.Pointer.NONE);
    }

    private SnapshotStore.Stored store(SnapshotStore.Pointer known, String state) throws Exception {
        return store(known, state.getBytes(StandardCharsets.UTF_8));
    }

    private SnapshotStore.Stored store(SnapshotStore.Pointer known, byte[] state) throws Exception {
        return store.store("p-1", 1, "Example", "node-1", state, known, meta -> List.of());
    }

    private static byte[] bigState() {
        byte[] b = new byte[SnapshotStore.CHUNK * 2 + 17];
        new java.util.Random(7).nextBytes(b);
        return b;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
