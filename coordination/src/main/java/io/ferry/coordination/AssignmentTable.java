package io.ferry.coordination;

import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/** Owns {@code /assignments}: the leader writes it (in epoch-fenced transactions), nodes watch their folder. */
public final class AssignmentTable extends ZTable<Assignment> {
    public AssignmentTable(CuratorFramework client) {
        super(client, Assignment.class);
    }

    public Versioned<Assignment> read(String node, String pid) throws Exception {
        return readPath(ZPaths.assignment(node, pid));
    }

    public List<Versioned<Assignment>> list(String node) throws Exception {
        return List.copyOf(readChildren(ZPaths.assignments(node)).values());
    }

    public List<String> nodesWithFolders() throws Exception {
        return client.getChildren().forPath(ZPaths.ASSIGNMENTS);
    }

    public CuratorOp create(Assignment a) throws Exception {
        return createOp(ZPaths.assignment(a.node(), a.pid()), a);
    }

    public CuratorOp update(Assignment a, int expectedVersion) throws Exception {
        return updateOp(ZPaths.assignment(a.node(), a.pid()), a, expectedVersion);
    }

    public CuratorOp delete(Assignment a, int expectedVersion) throws Exception {
        return deleteOp(ZPaths.assignment(a.node(), a.pid()), expectedVersion);
    }

    /** Creates the folder a node's assignments go in, if missing. */
    public void ensureFolder(String node) throws Exception {
        if (client.checkExists().forPath(ZPaths.assignments(node)) == null) {
            try {
                client.create().forPath(ZPaths.assignments(node), new byte[0]);
            } catch (org.apache.zookeeper.KeeperException.NodeExistsException raced) {
                // created meanwhile
            }
        }
    }
}
