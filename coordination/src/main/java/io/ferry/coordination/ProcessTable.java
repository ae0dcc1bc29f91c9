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
    public ProcessTable(CuratorFramework client) {
        super(client, ProcessRecord.class);
    }

    public Versioned<ProcessRecord> read(String pid) throws Exception {
        return readPath(ZPaths.process(pid));
    }

    /** Every record by pid, read in parallel. */
    /** Adds the record of {@code pid} to {@code reads}. */
    public MultiRead.Slot<Versioned<ProcessRecord>> read(MultiRead reads, String pid) {
        return readIn(reads, ZPaths.process(pid));
    }

    public java.util.Map<String, Versioned<ProcessRecord>> readAll() throws Exception {
        return readChildrenPipelined(ZPaths.PROCESSES);
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
            ops.add(createOp(ZPaths.process(r.pid()), r));
        }
        client.transaction().forOperations(ops);
    }

    /** @return the new version; throws {@link KeeperException.BadVersionException} if someone wrote meanwhile */
    public int update(ProcessRecord record, int expectedVersion) throws Exception {
        return client.setData().withVersion(expectedVersion).forPath(ZPaths.process(record.pid()), Json.write(record))
                .getVersion();
    }
}
