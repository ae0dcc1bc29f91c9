package io.ferry.scheduler;

import io.ferry.coordination.Cordon;
import io.ferry.coordination.Limits;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheStorage;
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
    private final CuratorCache cordons;
    private final ProcessTable processTable;
    private final StatusTable statusTable;
    private final NodeTable nodeTable;
    private final long specMaxBytes;
    private final Map<String, Versioned<ProcessStatus>> ownWrites = new ConcurrentHashMap<>();
    /**
     * Pids this leader removed whose record the cache may still hold: the caches hear of the two deletions
     * separately, and a record seen without its status would look like a new launch. Kept until the record's
     * deletion reaches the cache.
     */
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    /** Node registrations decoded once per version of their znode, rather than once per decision. */
    private final Map<String, Decoded> decodedNodes = new ConcurrentHashMap<>();
    /** Counts down once per cache when its first full load is done. */
    private final java.util.concurrent.CountDownLatch loaded = new java.util.concurrent.CountDownLatch(4);

    /** A registration as decoded, and which znode version (creation and last change) it came from. */
    private record Decoded(long czxid, long mzxid, NodeInfo info) {}

    /** @param onPid called with a pid whose record or status changed; @param onNode with (node id, joined?) */
    ClusterView(CuratorFramework client, long specMaxBytes, java.util.function.Consumer<String> onPid,
            BiConsumer<String, Boolean> onNode) {
        this.specMaxBytes = specMaxBytes;
        this.processTable = new ProcessTable(client);
        this.statusTable = new StatusTable(client);
        this.nodeTable = new NodeTable(client);
        this.processes = CuratorCache.build(client, ZPaths.PROCESSES);
        this.statuses = CuratorCache.build(client, ZPaths.STATUS);
        this.nodes = CuratorCache.builder(client, ZPaths.NODES).withStorage(new SilentChanges(onNode)).build();
        this.cordons = CuratorCache.build(client, ZPaths.CORDONS);
        // a cordon, a drain or its end: look again at what runs there, and at what waits for room
        cordons.listenable().addListener((type, before, after) -> {
            ChildData d = after != null ? after : before;
            if (d != null && depth(d.getPath()) == 2) {
                onNode.accept(ZPaths.lastSegment(d.getPath()), true);
            }
        });
        Map.of(ZPaths.PROCESSES, processes, ZPaths.STATUS, statuses).forEach((root, cache) ->
                cache.listenable().addListener((type, before, after) -> {
                    ChildData d = after != null ? after : before;
                    String pid = d == null ? null : ZPaths.pidOf(root, d.getPath());
                    if (pid != null) {
                        onPid.accept(pid);
                    }
                }));
        processes.listenable().addListener((type, before, after) -> {
            String pid = after == null && before != null ? ZPaths.pidOf(ZPaths.PROCESSES, before.getPath()) : null;
            if (pid != null) {
                removed.remove(pid);
            }
        });
        for (CuratorCache cache : new CuratorCache[] {processes, statuses, nodes, cordons}) {
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

    /** Whether every cache has loaded what ZooKeeper held when it started. */
    boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    void start() {
        processes.start();
        statuses.start();
        nodes.start();
        cordons.start();
    }

    @Override
    public void close() {
        processes.close();
        statuses.close();
        nodes.close();
        cordons.close();
    }

    /** Every pid that has a desired state. */
    Set<String> pids() {
        return processes.stream().map(d -> ZPaths.pidOf(ZPaths.PROCESSES, d.getPath())).filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }

    /** @throws MalformedDataException when the record cannot be read, or is over the spec limit */
    Versioned<ProcessRecord> process(String pid) {
        if (removed.contains(pid)) {
            return null;
        }
        return processes.get(ZPaths.process(pid)).map(d -> {
            Limits.checkRecord(d.getPath(), d.getData() == null ? 0 : d.getData().length, specMaxBytes);
            return processTable.decode(d);
        }).orElse(null);
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

    /** This leader removed {@code pid}: treat it as gone even while the caches still show parts of it. */
    void removed(String pid) {
        removed.add(pid);
        if (processes.get(ZPaths.process(pid)).isEmpty()) {
            removed.remove(pid); // the cache has caught up already
        }
        ownWrites.remove(pid);
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
    /** The cordoned and draining nodes, by id; a cordon that cannot be read counts as CORDONED. */
    Map<String, Cordon> cordons() {
        Map<String, Cordon> out = new java.util.HashMap<>();
        cordons.stream().filter(d -> depth(d.getPath()) == 2).forEach(d -> {
            String node = ZPaths.lastSegment(d.getPath());
            try {
                out.put(node, io.ferry.coordination.Json.read(d.getPath(), d.getData(), Cordon.class));
            } catch (RuntimeException malformed) {
                out.put(node, new Cordon(Cordon.FORMAT, node, Cordon.State.CORDONED, 1, 0));
            }
        });
        return out;
    }

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

    /**
     * The nodes cache's storage, which reports what the cache stores without an event: a registration deleted and
     * created again while the watch was away (a reconnection) comes back in a znode of the same version, which
     * {@code CuratorCache} takes in silently. Reported as a join, so the leader looks at once at what is assigned
     * to the node's old session and at what waits for a slot. Called on the cache's thread; only enqueues.
     */
    private static final class SilentChanges implements CuratorCacheStorage {
        private final CuratorCacheStorage storage = CuratorCacheStorage.standard();
        private final BiConsumer<String, Boolean> onNode;

        SilentChanges(BiConsumer<String, Boolean> onNode) {
            this.onNode = onNode;
        }

        @Override
        public Optional<ChildData> put(ChildData data) {
            Optional<ChildData> before = storage.put(data);
            if (before.isPresent() && depth(data.getPath()) == 2
                    && before.get().getStat().getVersion() == data.getStat().getVersion()
                    && before.get().getStat().getMzxid() != data.getStat().getMzxid()) {
                onNode.accept(ZPaths.lastSegment(data.getPath()), true);
            }
            return before;
        }

        @Override
        public Optional<ChildData> remove(String path) {
            return storage.remove(path);
        }

        @Override
        public void clear() {
            storage.clear();
        }

        @Override
        public Optional<ChildData> get(String path) {
            return storage.get(path);
        }

        @Override
        public int size() {
            return storage.size();
        }

        @Override
        public Stream<ChildData> stream() {
            return storage.stream();
        }
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
