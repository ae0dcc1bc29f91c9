package io.ferry.coordination;

import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Owns {@code /processes} and {@code /pids}: desired state, written by clients; the leader removes the records of
 * finished processes once they have been kept long enough (retention).
 */
public final class ProcessTable extends ZTable<ProcessRecord> {
    private final Buckets buckets;

    public ProcessTable(CuratorFramework client) {
        super(client, ProcessRecord.class);
        this.buckets = new Buckets(client);
    }

    public Versioned<ProcessRecord> read(String pid) throws Exception {
        return readPath(ZPaths.process(pid));
    }

    /** Adds the record of {@code pid} to {@code reads}. */
    public MultiRead.Slot<Versioned<ProcessRecord>> read(MultiRead reads, String pid) {
        return readIn(reads, ZPaths.process(pid));
    }

    /** Every pid that has a record (the names only: one listing per bucket). */
    public List<String> pids() throws Exception {
        return bucketedPids(ZPaths.PROCESSES);
    }

    /** The records of {@code pids} by pid; those that are gone or unreadable are left out. */
    public java.util.Map<String, Versioned<ProcessRecord>> read(java.util.Collection<String> pids) throws Exception {
        return readMany(pids.stream().map(ZPaths::process).toList());
    }

    /** The removal of {@code pid}'s record, for a transaction; fails if it changed since {@code version}. */
    public CuratorOp delete(String pid, int version) throws Exception {
        return deleteOp(ZPaths.process(pid), version);
    }

    /** {@code count} pids in one round trip: each setData in the transaction bumps the version once. */
    public List<String> nextPids(int count) throws Exception {
        List<org.apache.curator.framework.api.transaction.CuratorOp> ops = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(client.transactionOp().setData().forPath(ZPaths.PIDS, new byte[0]));
        }
        return client.transaction().forOperations(ops).stream()
                .map(r -> Names.pid(r.getResultStat().getVersion())).toList();
    }

    /** Creates all {@code records} in one transaction: all or none. */
    public void createAll(List<ProcessRecord> records) throws Exception {
        List<org.apache.curator.framework.api.transaction.CuratorOp> ops = new java.util.ArrayList<>(records.size());
        for (ProcessRecord r : records) {
            buckets.ensure(ZPaths.PROCESSES, r.pid());
            ops.add(createOp(ZPaths.process(r.pid()), r));
        }
        try {
            client.transaction().forOperations(ops);
        } catch (KeeperException.NoNodeException bucketGone) {
            buckets.forget(); // emptied and removed since this client created it: once more, creating it again
            for (ProcessRecord r : records) {
                buckets.ensure(ZPaths.PROCESSES, r.pid());
            }
            client.transaction().forOperations(ops);
        }
    }

    /** @return the new version; throws {@link KeeperException.BadVersionException} if someone wrote meanwhile */
    public int update(ProcessRecord record, int expectedVersion) throws Exception {
        return client.setData().withVersion(expectedVersion).forPath(ZPaths.process(record.pid()), Json.write(record))
                .getVersion();
    }
}
