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
     * The records of every child of {@code parent}, read in parallel (pipelined on the one connection), by name.
     * Children deleted meanwhile are left out.
     */
    java.util.Map<String, Versioned<T>> readChildrenPipelined(String parent) throws Exception {
        List<String> names;
        try {
            names = client.getChildren().forPath(parent);
        } catch (KeeperException.NoNodeException none) {
            return java.util.Map.of();
        }
        java.util.Map<String, Versioned<T>> out = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(names.size());
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        for (String name : names) {
            String path = parent + "/" + name;
            client.getData().inBackground((c, event) -> {
                try {
                    if (event.getResultCode() == KeeperException.Code.OK.intValue()) {
                        out.put(name, new Versioned<>(Json.read(path, event.getData(), type),
                                event.getStat().getVersion()));
                    } else if (event.getResultCode() != KeeperException.Code.NONODE.intValue()) {
                        failure.compareAndSet(null, new FerryException("Cannot read " + path + ": "
                                + KeeperException.Code.get(event.getResultCode())));
                    }
                } catch (MalformedDataException unreadable) {
                    // left out: one bad znode must not hide every other
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }).forPath(path);
        }
        if (!done.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new FerryException("Timed out reading " + parent);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return out;
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
