package io.ferry.coordination;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;

/** Owns {@code /nodes}: one ephemeral znode per live node, written by that node. */
public final class NodeTable extends ZTable<NodeInfo> {
    public NodeTable(CuratorFramework client) {
        super(client, NodeInfo.class);
    }

    /** Live nodes by id, sorted. Nodes whose znode cannot be read are left out. */
    public Map<String, NodeInfo> live() throws Exception {
        Map<String, NodeInfo> out = new java.util.TreeMap<>();
        for (Versioned<NodeInfo> v : readChildren(ZPaths.NODES).values()) {
            out.put(v.value().id(), v.value());
        }
        return new LinkedHashMap<>(out);
    }

    /** The ids of the live nodes, without reading their registrations. */
    public java.util.List<String> ids() throws Exception {
        return client.getChildren().forPath(ZPaths.NODES);
    }

    public Versioned<NodeInfo> read(String id) throws Exception {
        return readPath(ZPaths.node(id));
    }

    /** Registers {@code info} as an ephemeral znode owned by the client's current session. */
    public void register(NodeInfo info) throws Exception {
        client.create().withMode(CreateMode.EPHEMERAL).forPath(ZPaths.node(info.id()), Json.write(info));
    }

    /**
     * Replaces a registration left by a session whose process is gone with {@code info}, owned by the client's
     * session: one transaction, so that it fails if the stale znode changed or went meanwhile.
     */
    public void replaceStale(NodeInfo info, int staleVersion) throws Exception {
        String path = ZPaths.node(info.id());
        client.transaction().forOperations(
                client.transactionOp().delete().withVersion(staleVersion).forPath(path),
                client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, Json.write(info)));
    }

    public void unregister(String id, int version) throws Exception {
        client.delete().withVersion(version).forPath(ZPaths.node(id));
    }
}
