package io.ferry.coordination;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Owns {@code /logs}: what each process printed, as sequential chunks under {@code /logs/{pid}}, written by
 * whichever node runs it, so the log reads the same wherever it ran. Capped per process: past
 * {@code maxChunks} the oldest chunks are dropped (a chatty process cannot fill ZooKeeper).
 */
public final class LogStore {
    /** Largest chunk a node writes at once. */
    public static final int CHUNK = 16 * 1024;
    public static final String MAX_BYTES = "ferry.logs.maxBytes";

    private final CuratorFramework client;
    private final int maxChunks;

    public LogStore(CuratorFramework client, long maxBytes) {
        this.client = client;
        this.maxChunks = (int) Math.max(2, maxBytes / CHUNK);
    }

    /** One chunk of a log. */
    public record Chunk(String name, byte[] bytes) {}

    /** Appends {@code bytes} (at most {@link #CHUNK}) to the log of {@code pid}. Writers {@link #trim} now and then. */
    public void append(String pid, byte[] bytes) throws Exception {
        client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                .forPath(ZPaths.logs(pid) + "/l-", bytes);
    }

    /** How many appends a writer may make between two {@link #trim} calls and stay within twice the cap. */
    public int trimEvery() {
        return Math.max(1, maxChunks / 2);
    }

    /** Drops the oldest chunks of {@code pid}'s log beyond the cap. */
    public void trim(String pid) throws Exception {
        List<String> names = chunkNames(pid, null);
        for (int i = 0; i < names.size() - maxChunks; i++) {
            try {
                client.delete().forPath(ZPaths.logs(pid) + "/" + names.get(i));
            } catch (KeeperException.NoNodeException gone) {
                // trimmed by someone else
            }
        }
    }

    /**
     * The chunks of {@code pid}'s log after {@code after} (null for all), oldest first.
     *
     * @param watcher set on the folder to hear of new chunks, or null
     */
    public List<Chunk> read(String pid, String after, CuratorWatcher watcher) throws Exception {
        List<Chunk> out = new ArrayList<>();
        for (String name : chunkNames(pid, watcher)) {
            if (after != null && name.compareTo(after) <= 0) {
                continue;
            }
            try {
                out.add(new Chunk(name, client.getData().forPath(ZPaths.logs(pid) + "/" + name)));
            } catch (KeeperException.NoNodeException trimmed) {
                // dropped by the cap while we read
            }
        }
        return out;
    }

    public void delete(String pid) throws Exception {
        try {
            client.delete().guaranteed().deletingChildrenIfNeeded().forPath(ZPaths.logs(pid));
        } catch (KeeperException.NoNodeException gone) {
            // nothing logged
        }
    }

    private List<String> chunkNames(String pid, CuratorWatcher watcher) throws Exception {
        List<String> names;
        try {
            names = watcher == null ? client.getChildren().forPath(ZPaths.logs(pid))
                    : client.getChildren().usingWatcher(watcher).forPath(ZPaths.logs(pid));
        } catch (KeeperException.NoNodeException none) {
            if (watcher != null) {
                client.checkExists().usingWatcher(watcher).forPath(ZPaths.logs(pid));
            }
            return List.of();
        }
        names = new ArrayList<>(names);
        Collections.sort(names); // sequential suffixes are zero-padded, so this is creation order
        return names;
    }
}
