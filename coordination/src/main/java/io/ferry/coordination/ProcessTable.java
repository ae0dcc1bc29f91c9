package io.ferry.coordination;

import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** Owns {@code /processes} and {@code /pids}: desired state, written by clients only. */
public final class ProcessTable extends ZTable<ProcessRecord> {
    public ProcessTable(CuratorFramework client) {
        super(client, ProcessRecord.class);
    }

    public Versioned<ProcessRecord> read(String pid) throws Exception {
        return readPath(ZPaths.process(pid));
    }

    public List<Versioned<ProcessRecord>> list() throws Exception {
        return readChildren(ZPaths.PROCESSES);
    }

    /** A pid never handed out before: each write to {@code /pids} bumps its version, which numbers the pid. */
    public String nextPid() throws Exception {
        Stat stat = client.setData().forPath(ZPaths.PIDS, new byte[0]);
        return Names.pid(stat.getVersion());
    }

    public int create(ProcessRecord record) throws Exception {
        client.create().forPath(ZPaths.process(record.pid()), Json.write(record));
        return 0;
    }

    /** @return the new version; throws {@link KeeperException.BadVersionException} if someone wrote meanwhile */
    public int update(ProcessRecord record, int expectedVersion) throws Exception {
        return client.setData().withVersion(expectedVersion).forPath(ZPaths.process(record.pid()), Json.write(record))
                .getVersion();
    }
}
