package io.ferry.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Owns {@code /layout}: which arrangement of {@link ZPaths} a cluster was written in. A cluster of another layout is
 * refused with what to do, never misread; one of layout 1 (every pid directly under its root, before buckets) is
 * moved into buckets by {@link #upgrade}.
 */
public final class Layout {
    /** Layout 1 held each pid's znodes directly under its root: {@code /status/p-17}. */
    static final int UNBUCKETED = 1;

    private Layout() {}

    /** What the upgrade did: pids moved, and the layout before and after. */
    public record Upgrade(int from, int to, int pids) {}

    /**
     * Checks that the cluster is in {@link ZPaths#LAYOUT_VERSION}; stamps a new one with it (and a cluster written
     * before layouts were recorded with 1).
     *
     * @throws FerryException naming both layouts and what to do when the cluster's is another
     */
    static void check(CuratorFramework client) {
        Stamp stamp = read(client);
        int v = stamp.v();
        String where = "The cluster in ZooKeeper under namespace '" + client.getNamespace() + "'";
        if (v == ZPaths.LAYOUT_VERSION) {
            if (Zk.isSecured(client) && !stamp.secured()) {
                // its znodes are open to anyone: securing new ones only would leave it half-secured
                throw new FerryException(where + " was created without security, and this part authenticates:"
                        + " Ferry never runs a cluster half-secured. Start a secured one in a fresh namespace"
                        + " (ferry.zk.namespace) or ZooKeeper, or run this part without the security settings");
            }
            return;
        }
        if (v == UPGRADING) {
            throw new FerryException(where + " was being upgraded to layout " + ZPaths.LAYOUT_VERSION
                    + " when the upgrade stopped: run 'ferry upgrade' again");
        }
        if (v == UNBUCKETED) {
            throw new FerryException(where + " has layout version 1; this Ferry reads layout "
                    + ZPaths.LAYOUT_VERSION + ": stop its nodes and schedulers, then run 'ferry upgrade'");
        }
        throw new FerryException(where + " has layout version " + v + "; this Ferry reads layout "
                + ZPaths.LAYOUT_VERSION + ": use the Ferry release that wrote it, or another ferry.zk.namespace");
    }

    /** Stored while an upgrade runs: every release refuses it, so no one reads a half-moved cluster. */
    private static final int UPGRADING = -1;

    /** The cluster's layout; stamps an unstamped cluster first. */
    /** What {@code /layout} says: the layout version, and whether the cluster was created secured. */
    private record Stamp(int v, boolean secured) {}

    private static Stamp read(CuratorFramework client) {
        try {
            byte[] stored;
            try {
                stored = client.getData().forPath(ZPaths.LAYOUT);
            } catch (KeeperException.NoNodeException none) {
                int v = hasUnbucketedPids(client) ? UNBUCKETED : ZPaths.LAYOUT_VERSION;
                boolean secured = Zk.isSecured(client);
                try {
                    client.create().creatingParentsIfNeeded().forPath(ZPaths.LAYOUT, encode(v, secured));
                } catch (KeeperException.NodeExistsException raced) {
                    return read(client);
                }
                return new Stamp(v, secured);
            }
            var node = Json.mapper().readTree(stored);
            boolean secured = node.path("secured").asBoolean(false);
            if (node.path("upgrading").asBoolean(false)) {
                return new Stamp(UPGRADING, secured);
            }
            return new Stamp(node.path("v").isInt() ? node.path("v").intValue() : 0, secured);
        } catch (FerryException e) {
            throw e;
        } catch (Exception e) {
            throw new FerryException("Cannot read the cluster's layout version: " + e.getMessage(), e);
        }
    }

    /**
     * Moves a cluster of layout 1 into buckets, pid by pid (each subtree copied, then the original deleted), so an
     * upgrade that stops part-way is finished by running it again. While it runs the cluster is marked as
     * upgrading, which every release refuses. Nothing may run against the cluster meanwhile.
     *
     * @throws FerryException when a node or scheduler is registered, or the layout is neither 1 nor this one
     */
    public static Upgrade upgrade(CuratorFramework client) throws Exception {
        int v = read(client).v();
        if (v == ZPaths.LAYOUT_VERSION) {
            return new Upgrade(v, v, 0);
        }
        if (v != UNBUCKETED && v != UPGRADING) {
            check(client); // throws, naming the layout
        }
        for (String busy : new String[] {ZPaths.NODES, ZPaths.LEADER}) {
            if (client.checkExists().forPath(busy) != null && !client.getChildren().forPath(busy).isEmpty()) {
                throw new FerryException("Cannot upgrade while " + (busy.equals(ZPaths.NODES) ? "nodes" : "schedulers")
                        + " run against the cluster (" + busy + " has " + client.getChildren().forPath(busy)
                        + "): stop them first");
            }
        }
        client.setData().forPath(ZPaths.LAYOUT, Json.write(Map.of("v", ZPaths.LAYOUT_VERSION, "upgrading", true)));
        java.util.Set<String> moved = new java.util.HashSet<>();
        for (String root : ZPaths.BUCKETED) {
            if (client.checkExists().forPath(root) == null) {
                continue;
            }
            for (String pid : client.getChildren().forPath(root)) {
                if (Names.isPid(pid)) {
                    String to = ZPaths.bucket(root, pid) + "/" + pid;
                    copy(client, root + "/" + pid, to, root.equals(ZPaths.LOGS));
                    client.delete().deletingChildrenIfNeeded().forPath(root + "/" + pid);
                    moved.add(pid);
                }
            }
        }
        client.setData().forPath(ZPaths.LAYOUT, encode(ZPaths.LAYOUT_VERSION, false)); // layout 1 was never secured
        return new Upgrade(UNBUCKETED, ZPaths.LAYOUT_VERSION, moved.size());
    }

    /**
     * Copies the subtree at {@code from} to {@code to}, keeping what a stopped copy already wrote. Log chunks are
     * renumbered in order from 0: ZooKeeper numbers the next chunk after the new folder's own count of children.
     */
    private static void copy(CuratorFramework client, String from, String to, boolean logChunks) throws Exception {
        createIfMissing(client, to, client.getData().forPath(from));
        List<String> children = new ArrayList<>(client.getChildren().forPath(from));
        if (logChunks) {
            client.delete().deletingChildrenIfNeeded().forPath(to); // a stopped copy's chunks: numbered afresh
            createIfMissing(client, to, client.getData().forPath(from));
            children.sort(java.util.Comparator.comparingLong(n -> Long.parseLong(n.substring(n.lastIndexOf('-') + 1))));
            for (int i = 0; i < children.size(); i++) {
                String name = children.get(i);
                String renumbered = name.substring(0, name.lastIndexOf('-') + 1) + String.format("%010d", i);
                client.create().forPath(to + "/" + renumbered, client.getData().forPath(from + "/" + name));
            }
            return;
        }
        for (String child : children) {
            copy(client, from + "/" + child, to + "/" + child, false);
        }
    }

    /** Creates {@code path}; its bucket, the one parent that may be missing, as a container. */
    private static void createIfMissing(CuratorFramework client, String path, byte[] data) throws Exception {
        try {
            client.create().creatingParentContainersIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException done) {
            // copied by an upgrade that stopped part-way
        }
    }

    private static boolean hasUnbucketedPids(CuratorFramework client) throws Exception {
        for (String root : ZPaths.BUCKETED) {
            if (client.checkExists().forPath(root) != null
                    && client.getChildren().forPath(root).stream().anyMatch(Names::isPid)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] encode(int v, boolean secured) {
        return Json.write(secured ? Map.of("v", v, "secured", true) : Map.of("v", v));
    }
}
