package io.ferry.coordination;

import java.util.Map;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** Owns {@code /avoided}: one persistent znode per node the leader avoids ({@link Avoidance}). */
public final class AvoidanceTable extends ZTable<Avoidance> {
    public AvoidanceTable(CuratorFramework client) {
        super(client, Avoidance.class);
    }

    /** Publishes {@code a}, replacing what was there. */
    public void set(Avoidance a) throws Exception {
        put(ZPaths.avoided(a.node()), a);
    }

    public void remove(String node) throws Exception {
        try {
            client.delete().forPath(ZPaths.avoided(node));
        } catch (KeeperException.NoNodeException already) {
            // nothing to remove
        }
    }

    /** Every avoidance published, by node, expired ones included. */
    public Map<String, Avoidance> all() throws Exception {
        Map<String, Avoidance> out = new TreeMap<>();
        for (Versioned<Avoidance> a : readChildren(ZPaths.AVOIDED).values()) {
            out.put(a.value().node(), a.value());
        }
        return out;
    }
}
