package io.ferry.coordination;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * Owns {@code /status}. Every update is a compare-and-set on the znode's version: the leader bumps it when it
 * moves a pid to a new generation, so a node still holding the old generation finds its next write rejected.
 */
public final class StatusTable extends ZTable<ProcessStatus> {
    private final Buckets buckets;

    public StatusTable(CuratorFramework client) {
        super(client, ProcessStatus.class);
        this.buckets = new Buckets(client);
    }

    /** Every status by pid. */
    public java.util.Map<String, Versioned<ProcessStatus>> readAll() throws Exception {
        return readMany(bucketedPids(ZPaths.STATUS).stream().map(ZPaths::status).toList());
    }

    public Versioned<ProcessStatus> read(String pid) throws Exception {
        return readPath(ZPaths.status(pid));
    }

    /**
     * The status of {@code pid}, leaving {@code watcher} set on its znode: on its next change, or on its creation
     * when there is none yet (one request either way).
     */
    public Versioned<ProcessStatus> readWatching(String pid, org.apache.zookeeper.Watcher watcher) throws Exception {
        String path = ZPaths.status(pid);
        org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
        try {
            byte[] data = client.getData().storingStatIn(stat).usingWatcher(watcher).forPath(path);
            return new Versioned<>(Json.read(path, data, ProcessStatus.class), stat.getVersion());
        } catch (org.apache.zookeeper.KeeperException.NoNodeException none) {
            // getData sets no watch on a missing znode; exists does, and one created meanwhile is read again
            return client.checkExists().usingWatcher(watcher).forPath(path) == null ? null : read(pid);
        }
    }

    /** Adds the status of {@code pid} to {@code reads}. */
    public MultiRead.Slot<Versioned<ProcessStatus>> read(MultiRead reads, String pid) {
        return readIn(reads, ZPaths.status(pid));
    }

    /** The creation of a first status, for a transaction; its bucket is created first if need be. */
    public CuratorOp create(ProcessStatus status) throws Exception {
        buckets.ensure(ZPaths.STATUS, status.pid());
        return createOp(ZPaths.status(status.pid()), status);
    }

    /**
     * A transaction with a {@link #create} failed with NoNode: its bucket may have been emptied and removed since
     * this table created it, and is created again on the next attempt.
     */
    public void bucketsMayBeGone() {
        buckets.forget();
    }

    /** Writes {@code status} if the znode is still at {@code expectedVersion}; returns the new version. */
    public int write(ProcessStatus status, int expectedVersion) throws Exception {
        return client.setData().withVersion(expectedVersion).forPath(ZPaths.status(status.pid()), Json.write(status))
                .getVersion();
    }

    /** The removal of {@code pid}'s status, for a transaction; fails if it changed since {@code version}. */
    public CuratorOp delete(String pid, int version) throws Exception {
        return deleteOp(ZPaths.status(pid), version);
    }

    public CuratorOp update(ProcessStatus status, int expectedVersion) throws Exception {
        return updateOp(ZPaths.status(status.pid()), status, expectedVersion);
    }
}
