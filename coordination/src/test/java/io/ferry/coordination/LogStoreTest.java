package io.ferry.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.curator.test.WatchersDebug;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogStoreTest {
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
    void manySmallChunksReadBackInOrderAndTheCapCountsBytesNotChunks() throws Exception {
        LogStore store = new LogStore(client, 2 * LogStore.CHUNK);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String line = "line " + i + "\n";
            all.append(line);
            store.append("p-1", line.getBytes(StandardCharsets.UTF_8));
        }
        store.trim("p-1");
        assertThat(text(store.read("p-1", null, null))).as("100 small lines are far under the cap")
                .isEqualTo(all.toString());

        byte[] big = new byte[LogStore.CHUNK];
        java.util.Arrays.fill(big, (byte) 'x');
        for (int i = 0; i < 3; i++) {
            store.append("p-1", big);
        }
        store.trim("p-1");
        List<LogStore.Chunk> kept = store.read("p-1", null, null);
        assertThat(kept.stream().mapToInt(c -> c.bytes().length).sum()).isLessThanOrEqualTo(2 * LogStore.CHUNK);
        assertThat(kept.get(kept.size() - 1).bytes()).isEqualTo(big);

        LogStore.Chunk last = kept.get(kept.size() - 1);
        store.append("p-1", "after\n".getBytes(StandardCharsets.UTF_8));
        assertThat(text(store.read("p-1", last.name(), null))).isEqualTo("after\n");
    }

    @Test
    void aFollowerThatLeavesTakesItsWatchBack() throws Exception {
        LogStore store = new LogStore(client, 2 * LogStore.CHUNK);
        ZooKeeper zooKeeper = client.getZookeeperClient().getZooKeeper();
        String path = "/ferry" + ZPaths.logs("p-1");
        Runnable quiet = () -> { };
        store.read("p-1", null, quiet); // nothing logged yet: the watch waits for the folder
        assertThat(WatchersDebug.getExistWatches(zooKeeper)).containsExactly(path);
        store.unwatch("p-1", quiet);
        assertThat(WatchersDebug.getExistWatches(zooKeeper)).isEmpty();

        store.append("p-1", "one\n".getBytes(StandardCharsets.UTF_8));
        Runnable other = () -> { };
        store.read("p-1", null, quiet);
        store.read("p-1", null, other);
        assertThat(WatchersDebug.getChildWatches(zooKeeper)).containsExactly(path);
        store.unwatch("p-1", quiet);
        store.unwatch("p-1", quiet); // again: nothing left to take, and no error
        assertThat(WatchersDebug.getChildWatches(zooKeeper)).as("the other follower's watch stays")
                .containsExactly(path);
        store.unwatch("p-1", other);
        assertThat(WatchersDebug.getChildWatches(zooKeeper)).isEmpty();
    }

    private static String text(List<LogStore.Chunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.forEach(c -> out.writeBytes(c.bytes()));
        return out.toString(StandardCharsets.UTF_8);
    }
}
