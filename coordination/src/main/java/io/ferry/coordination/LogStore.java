package io.ferry.coordination;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.WatcherType;

/**
 * Owns {@code /logs}: what each process printed, as sequential chunks {@code /logs/{bucket}/{pid}/l-{size}-{seq}}, written
 * by whichever node runs it, so the log reads the same wherever it ran. Capped per process: past {@code maxBytes}
 * the oldest chunks are dropped (a chatty process cannot fill ZooKeeper). Each chunk's size is in its name, so
 * trimming needs no reads.
 */
public final class LogStore {
    /** Largest chunk a node writes at once. */
    public static final int CHUNK = 16 * 1024;
    public static final String MAX_BYTES = "ferry.logs.maxBytes";

    private final CuratorFramework client;
    private final long maxBytes;

    public LogStore(CuratorFramework client, long maxBytes) {
        this.client = client;
        this.maxBytes = Math.max(2L * CHUNK, maxBytes);
    }

    /** One chunk of a log. */
    public record Chunk(String name, byte[] bytes) {}

    /** Appends {@code bytes} (at most {@link #CHUNK}) to the log of {@code pid}. Writers {@link #trim} now and then. */
    public void append(String pid, byte[] bytes) throws Exception {
        client.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                .forPath(ZPaths.logs(pid) + "/l-" + bytes.length + "-", bytes);
    }

    /** How many bytes a writer may append between two {@link #trim} calls and stay within twice the cap. */
    public long trimEvery() {
        return maxBytes / 2;
    }

    /** Drops the oldest chunks of {@code pid}'s log beyond the cap. */
    public void trim(String pid) throws Exception {
        List<String> names = chunkNames(pid, null);
        long total = names.stream().mapToLong(LogStore::size).sum();
        for (int i = 0; i < names.size() && total > maxBytes; i++) {
            try {
                client.delete().forPath(ZPaths.logs(pid) + "/" + names.get(i));
            } catch (KeeperException.NoNodeException gone) {
                // trimmed by someone else
            }
            total -= size(names.get(i));
        }
    }

    /**
     * The chunks of {@code pid}'s log after {@code after} (null for all), oldest first.
     *
     * @param onMore run once when the folder changes after this read (new chunks) or the watch is taken back, or null
     */
    public List<Chunk> read(String pid, String after, Runnable onMore) throws Exception {
        List<Chunk> out = new ArrayList<>();
        for (String name : chunkNames(pid, onMore == null ? null : new Wake(onMore))) {
            if (after != null && seq(name) <= seq(after)) {
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

    /**
     * Takes back the watcher a {@link #read} with {@code onMore} left, for a reader that leaves before the log grows:
     * this client would otherwise keep it, and what it holds, until the log changes, however long that takes. (The
     * server keeps one watch per log and session either way.) Without a connection it is dropped here alone, at once.
     */
    public void unwatch(String pid, Runnable onMore) throws Exception {
        try {
            client.watchers().remove(new Wake(onMore)).ofType(WatcherType.Any).locally().forPath(ZPaths.logs(pid));
        } catch (KeeperException.NoWatcherException fired) {
            // it fired, or was never set
        }
    }

    /** A watcher equal to every other for the same callback, so {@link #unwatch} finds the one {@link #read} set. */
    private record Wake(Runnable onMore) implements CuratorWatcher {
        @Override
        public void process(org.apache.zookeeper.WatchedEvent event) {
            onMore.run();
        }
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
        names.sort(java.util.Comparator.comparingLong(LogStore::seq)); // creation order
        return names;
    }

    /** The sequence number ZooKeeper gave chunk {@code name} ({@code l-{size}-{seq}}). */
    private static long seq(String name) {
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1));
    }

    private static long size(String name) {
        String[] parts = name.split("-");
        return parts.length == 3 ? Long.parseLong(parts[1]) : CHUNK;
    }
}
