package io.ferry.coordination;

import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** Reads, decodes and builds write operations for znodes that each hold one JSON record of type {@code T}. */
abstract class ZTable<T> {
    final CuratorFramework client;
    private final Class<T> type;

    ZTable(CuratorFramework client, Class<T> type) {
        this.client = client;
        this.type = type;
    }

    /** Writes {@code value} at {@code path} whatever was there, creating the znode (and its parents) if need be. */
    void put(String path, T value) throws Exception {
        byte[] data = Json.write(value);
        try {
            client.setData().forPath(path, data);
        } catch (KeeperException.NoNodeException absent) {
            try {
                client.create().creatingParentsIfNeeded().forPath(path, data);
            } catch (KeeperException.NodeExistsException raced) {
                client.setData().forPath(path, data);
            }
        }
    }

    /** The record at {@code path}, or null when the znode does not exist. */
    Versioned<T> readPath(String path) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = client.getData().storingStatIn(stat).forPath(path);
            return new Versioned<>(Json.read(path, data, type), stat.getVersion());
        } catch (KeeperException.NoNodeException none) {
            return null;
        }
    }

    /** Adds to {@code reads} a read of the record at {@code path}; the slot holds null when there is none. */
    MultiRead.Slot<Versioned<T>> readIn(MultiRead reads, String path) {
        return reads.add(path, raw -> raw == null ? null
                : new Versioned<>(Json.read(path, raw.data(), type), raw.version()));
    }

    /**
     * The records of every child of {@code parent}, by name ({@link #readMany}). Children deleted meanwhile are
     * left out.
     */
    java.util.Map<String, Versioned<T>> readChildren(String parent) throws Exception {
        List<String> names;
        try {
            names = client.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException none) {
            return java.util.Map.of();
        }
        return readMany(names.stream().map(name -> parent + "/" + name).toList());
    }

    /**
     * The records at {@code paths}, by last path segment: reads batched into read-only {@code multi} requests and
     * pipelined on the one connection, since a request costs ZooKeeper far more than the read in it (100,000
     * records: 0.25 s against 4-6 s one by one, here). Missing znodes and unreadable records are left out: one bad
     * znode must not hide every other. A lost connection fails the read at once rather than waiting it out: a
     * node's control thread reads this way, and must be free to hear that its session came back.
     */
    java.util.Map<String, Versioned<T>> readMany(List<String> paths) throws Exception {
        java.util.Map<String, Versioned<T>> out = new java.util.concurrent.ConcurrentHashMap<>();
        int batches = (paths.size() + MultiRead.BATCH - 1) / MultiRead.BATCH;
        Replies replies = new Replies(batches);
        org.apache.zookeeper.ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        for (int from = 0; from < paths.size(); from += MultiRead.BATCH) {
            List<String> batch = paths.subList(from, Math.min(paths.size(), from + MultiRead.BATCH));
            zk.multi(MultiRead.getDataOps(client, batch), (rc, ignored, ctx, results) -> {
                try {
                    if (results == null) { // the request failed as a whole; otherwise rc is the first op's error
                        replies.failed(KeeperException.create(KeeperException.Code.get(rc)));
                        return;
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        MultiRead.Raw raw = MultiRead.raw(batch.get(i), results.get(i));
                        if (raw != null) {
                            decodeInto(out, batch.get(i), raw);
                        }
                    }
                } catch (Exception e) {
                    replies.failed(e);
                } finally {
                    replies.arrived();
                }
            }, null);
        }
        replies.await("reading " + paths.size() + " znodes");
        return out;
    }

    private void decodeInto(java.util.Map<String, Versioned<T>> out, String path, MultiRead.Raw raw) {
        try {
            out.put(ZPaths.lastSegment(path), new Versioned<>(Json.read(path, raw.data(), type), raw.version()));
        } catch (MalformedDataException unreadable) {
            // left out
        }
    }

    /** The pids under a bucketed {@code root}: every bucket listed, in parallel. */
    List<String> bucketedPids(String root) throws Exception {
        List<String> buckets;
        try {
            buckets = client.getChildren().forPath(root);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
        List<String> out = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Replies replies = new Replies(buckets.size());
        for (String bucket : buckets) {
            client.getChildren().inBackground((c, event) -> {
                try {
                    if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                        event.getChildren().stream().filter(Names::isPid).forEach(out::add);
                    } else if (event.getResultCode() != KeeperException.Code.NONODE.intValue()) {
                        replies.failed(KeeperException.create(
                                KeeperException.Code.get(event.getResultCode()), event.getPath()));
                    }
                } finally {
                    replies.arrived();
                }
            }).forPath(root + "/" + bucket);
        }
        replies.await("listing " + root);
        return List.copyOf(out);
    }

    /** Decodes an entry of a {@code CuratorCache}. */
    public Versioned<T> decode(ChildData data) {
        return new Versioned<>(Json.read(data.getPath(), data.getData(), type), data.getStat().getVersion());
    }

    CuratorOp createOp(String path, T value) throws Exception {
        return client.transactionOp().create().forPath(path, Json.write(value));
    }

    CuratorOp updateOp(String path, T value, int expectedVersion) throws Exception {
        return client.transactionOp().setData().withVersion(expectedVersion).forPath(path, Json.write(value));
    }

    CuratorOp deleteOp(String path, int expectedVersion) throws Exception {
        return client.transactionOp().delete().withVersion(expectedVersion).forPath(path);
    }
}
