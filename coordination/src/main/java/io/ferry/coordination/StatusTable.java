package io.ferry.coordination;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * Owns {@code /status}. Every update is a compare-and-set on the znode's version: the leader bumps it when it
 * moves a pid to a new generation, so a node still holding the old generation finds its next write rejected.
 */
public final class StatusTable extends ZTable<ProcessStatus> {
    public StatusTable(CuratorFramework client) {
        super(client, ProcessStatus.class);
    }

    /** Every status by pid, read in parallel. */
    public java.util.Map<String, Versioned<ProcessStatus>> readAll() throws Exception {
        return readChildrenPipelined(ZPaths.STATUS);
    }

    public Versioned<ProcessStatus> read(String pid) throws Exception {
        return readPath(ZPaths.status(pid));
    }

    public CuratorOp create(ProcessStatus status) throws Exception {
        return createOp(ZPaths.status(status.pid()), status);
    }

    /** Writes {@code status} if the znode is still at {@code expectedVersion}; returns the new version. */
    public int write(ProcessStatus status, int expectedVersion) throws Exception {
        return client.setData().withVersion(expectedVersion).forPath(ZPaths.status(status.pid()), Json.write(status))
                .getVersion();
    }

    public CuratorOp update(ProcessStatus status, int expectedVersion) throws Exception {
        return updateOp(ZPaths.status(status.pid()), status, expectedVersion);
    }
}
