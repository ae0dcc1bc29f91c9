package io.ferry.coordination;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Creates the buckets ({@link ZPaths#bucket}) a writer's znodes go in, once per bucket while it is known to exist.
 * Buckets are container znodes, which the server removes some time after their last child went; a write that then
 * fails with {@code NoNode} calls {@link #forget}, and the next attempt creates the bucket again.
 */
final class Buckets {
    private final CuratorFramework client;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    Buckets(CuratorFramework client) {
        this.client = client;
    }

    /** Makes sure the bucket of {@code pid} under {@code root} exists. */
    void ensure(String root, String pid) throws Exception {
        String bucket = ZPaths.bucket(root, pid);
        if (known.contains(bucket)) {
            return;
        }
        try {
            client.create().withMode(CreateMode.CONTAINER).forPath(bucket, new byte[0]);
        } catch (KeeperException.NodeExistsException already) {
            // created by another writer, or by this one before a restart
        }
        known.add(bucket);
    }

    /** A write under a bucket failed with NoNode: some bucket may have been removed since it was created. */
    void forget() {
        known.clear();
    }
}
