package io.ferry.coordination;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** Owns {@code /cordons}: one persistent znode per cordoned or draining node, created on first use. */
public final class CordonTable extends ZTable<Cordon> {
    public CordonTable(CuratorFramework client) {
        super(client, Cordon.class);
    }

    /** Cordons or drains a node, replacing what was there. */
    public void set(Cordon cordon) throws Exception {
        put(ZPaths.cordon(cordon.node()), cordon);
    }

    /** Makes the node READY; false when it was already. */
    public boolean remove(String node) throws Exception {
        try {
            client.delete().forPath(ZPaths.cordon(node));
            return true;
        } catch (KeeperException.NoNodeException already) {
            return false;
        }
    }

    /** Every cordon, by node; none when nothing was ever cordoned. */
    public Map<String, Cordon> all() throws Exception {
        Map<String, Cordon> out = new TreeMap<>();
        for (Versioned<Cordon> c : readChildren(ZPaths.CORDONS).values()) {
            out.put(c.value().node(), c.value());
        }
        return out;
    }

    public Optional<Cordon> read(String node) throws Exception {
        return Optional.ofNullable(readPath(ZPaths.cordon(node))).map(Versioned::value);
    }
}
