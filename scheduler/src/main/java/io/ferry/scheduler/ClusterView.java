package io.ferry.scheduler;

import io.ferry.coordination.MalformedDataException;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.NodeTable;
import io.ferry.coordination.ProcessRecord;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessTable;
import io.ferry.coordination.StatusTable;
import io.ferry.coordination.Versioned;
import io.ferry.coordination.ZPaths;
import java.io.Closeable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's read side: caches of {@code /processes}, {@code /status} and {@code /nodes}. Cache contents are
 * hints that may lag; every write made from them is a compare-and-set, so a stale read costs a retry, never a
 * wrong write. Status the leader wrote itself is remembered until the cache catches up, so the next pass does not
 * act on what it has already changed. Listeners only enqueue.
 */
final class ClusterView implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

    private final CuratorCache processes;
    private final CuratorCache statuses;
    private final CuratorCache nodes;
    private final ProcessTable processTable;
    private final StatusTable statusTable;
    private final NodeTable nodeTable;
    private final Map<String, Versioned<ProcessStatus>> ownWrites = new ConcurrentHashMap<>();
    /** Node registrations decoded once per version of their znode, rather than once per decision. */
    private final Map<String, Decoded> decodedNodes = new ConcurrentHashMap<>();
    /** Counts down once per cache when its first full load is done. */
    private final java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(3);

    /** A registration as decoded, and which znode version (creation and last change) it came from. */
    private record Decoded(long czxid, long mzxid, NodeInfo info) {}

    /** @param onPid called with a pid whose record or status changed; @param onNode with (node id, joined?) */
    ClusterView(CuratorFramework client, java.util.function.Consumer<String> onPid, BiConsumer<String, Boolean> onNode) {
        this.processTable = new ProcessTable(client);
        this.statusTable = new StatusTable(client);
        this.nodeTable = new NodeTable(client);
        this.processes = CuratorCache.build(client, ZPaths.PROCESSES);
        this.statuses = CuratorCache.build(client, ZPaths.STATUS);
        this.nodes = CuratorCache.build(client, ZPaths.NODES);
        for (CuratorCache cache : new CuratorCache[] {processes, statuses}) {
            cache.listenable().addListener((type, before, after) -> {
                ChildData d = after != null ? after : before;
                if (d != null && depth(d.getPath()) == 2) {
                    onPid.accept(ZPaths.lastSegment(d.getPath()));
                }
            });
        }
        for (CuratorCache cache : new CuratorCache[] {processes, statuses, nodes}) {
            cache.listenable().addListener(org.apache.curator.framework.recipes.cache.CuratorCacheListener.builder()
                    .forInitialized(loaded::countDown).build());
        }
        nodes.listenable().addListener((type, before, after) -> {
            ChildData d = after != null ? after : before;
            if (d != null && depth(d.getPath()) == 2) {
                onNode.accept(ZPaths.lastSegment(d.getPath()), after != null);
            }
        });
    }

    /**
     * Waits until every cache has loaded what ZooKeeper held when it started: a leader that acted on a half-loaded
     * view would take running processes for orphans and live nodes for dead ones.
     */
    void awaitLoaded() throws InterruptedException {
        loaded.await();
    }

    void start() {
        processes.start();
        statuses.start();
        nodes.start();
    }

    @Override
    public void close() {
        processes.close();
        statuses.close();
        nodes.close();
    }

    /** Every pid that has a desired state. */
    Set<String> pids() {
        return processes.stream().filter(d -> depth(d.getPath()) == 2)
                .map(d -> ZPaths.lastSegment(d.getPath())).collect(Collectors.toSet());
    }

    /** @throws MalformedDataException when the record cannot be read */
    Versioned<ProcessRecord> process(String pid) {
        return processes.get(ZPaths.process(pid)).map(processTable::decode).orElse(null);
    }

    /** The newest status known: the cache's, or the leader's own newer write. */
    Versioned<ProcessStatus> status(String pid) {
        Versioned<ProcessStatus> cached = null;
        try {
            cached = statuses.get(ZPaths.status(pid)).map(statusTable::decode).orElse(null);
        } catch (MalformedDataException e) {
            LOG.warn("{}", e.getMessage());
        }
        Versioned<ProcessStatus> own = ownWrites.get(pid);
        if (own == null) {
            return cached;
        }
        if (cached != null && cached.version() >= own.version()) {
            ownWrites.remove(pid, own);
            return cached;
        }
        return own;
    }

    void wrote(String pid, ProcessStatus status, int version) {
        ownWrites.put(pid, new Versioned<>(status, version));
    }

    /** Forget own writes, e.g. when a transaction failed and the view must be re-read. */
    void forget(String pid) {
        ownWrites.remove(pid);
    }

    /**
     * Live nodes by id, as the cache holds them now. Read from the cache's storage, not from its events: a node
     * that registered again while this scheduler was reconnecting has a new session in a znode of the same
     * version, which the cache stores without an event.
     */
    Map<String, NodeInfo> liveNodes() {
        Map<String, NodeInfo> out = new HashMap<>();
        nodes.stream().filter(d -> depth(d.getPath()) == 2).forEach(d -> {
            Decoded known = decodedNodes.get(d.getPath());
            if (known == null || known.czxid() != d.getStat().getCzxid() || known.mzxid() != d.getStat().getMzxid()) {
                try {
                    known = new Decoded(d.getStat().getCzxid(), d.getStat().getMzxid(), nodeTable.decode(d).value());
                    decodedNodes.put(d.getPath(), known);
                } catch (MalformedDataException e) {
                    LOG.warn("Ignoring node: {}", e.getMessage());
                    return;
                }
            }
            out.put(known.info().id(), known.info());
        });
        if (decodedNodes.size() > out.size()) { // a node has left: forget its registration
            decodedNodes.keySet().removeIf(path -> nodes.get(path).isEmpty());
        }
        return out;
    }

    private static int depth(String path) {
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }
}
