package io.ferry.web;

import io.ferry.coordination.ByteSizes;
import io.ferry.coordination.Durations;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.Json;
import io.ferry.coordination.NodeView;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessView;
import io.ferry.coordination.ZPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as the dashboard shows it, kept by one set of ZooKeeper watches however many browsers look: a change
 * under {@code /nodes}, {@code /processes}, {@code /status}, {@code /assignments} or {@code /scheduler} marks it
 * stale, and a refresher ({@code ferry-ui-watch}) reads the cluster once through {@link FerryClient}, at most every
 * {@link #COALESCE}, and wakes the event streams when what they would show has changed.
 */
final class ClusterWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);
    /** Changes closer than this are shown together: a burst of status writes is one update. */
    static final Duration COALESCE = Duration.ofMillis(100);
    /** Read again even without a change, in case a watch was lost with a session. */
    private static final Duration RESYNC = Duration.ofSeconds(10);
    private static final String[] WATCHED = {ZPaths.NODES, ZPaths.PROCESSES, ZPaths.STATUS, ZPaths.ASSIGNMENTS,
        ZPaths.SCHEDULER};

    /** What the streams send: a version that grows with every change, and the state as JSON. */
    record Snapshot(long version, byte[] json) {}

    private final CuratorFramework client;
    private final FerryClient ferry;
    private final Map<String, Object> cluster;
    private final List<CuratorCache> caches = new ArrayList<>();
    private final AtomicBoolean stale = new AtomicBoolean(true);
    private final ScheduledExecutorService refresher = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(io.ferry.coordination.FerryThreads.factory("ferry-ui-watch"));
    private long version;
    private byte[] content = new byte[0];
    private byte[] json = Json.write(Map.of("cluster", Map.of(), "nodes", List.of(), "processes", List.of()));
    /** Open event streams, and when the state was last asked for without one: no one looking, no reading. */
    private final java.util.concurrent.atomic.AtomicInteger viewers = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long askedAt = System.nanoTime();
    private long lastRead;
    private volatile boolean closed;

    /** @param cluster what the page's header shows of the cluster: connect string, read-only and why */
    ClusterWatch(CuratorFramework client, FerryClient ferry, Map<String, Object> cluster) {
        this.client = client;
        this.ferry = ferry;
        this.cluster = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cluster)); // values may be null
    }

    void start() {
        for (String path : WATCHED) {
            CuratorCache cache = CuratorCache.build(client, path);
            cache.listenable().addListener((type, before, after) -> stale.set(true));
            cache.start();
            caches.add(cache);
        }
        refresh();
        refresher.scheduleWithFixedDelay(this::refreshIfStale, COALESCE.toMillis(), COALESCE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The state now (read again first when no stream kept it fresh). */
    Snapshot current() {
        askedAt = System.nanoTime();
        if (viewers.get() == 0 && stale.getAndSet(false)) {
            refresh();
        }
        synchronized (this) {
            return new Snapshot(version, json);
        }
    }

    /** A stream opens ({@code +1}) or closes ({@code -1}). */
    void viewing(int delta) {
        if (viewers.addAndGet(delta) > 0) {
            stale.set(true); // it may have been a while: read now
        }
    }

    /**
     * The state once it is newer than {@code seen}, or as it is after {@code timeout} (same version: nothing changed).
     */
    synchronized Snapshot awaitAfter(long seen, Duration timeout) throws InterruptedException {
        if (closed) {
            return null;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (version == seen && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return new Snapshot(version, json);
    }

    private void refreshIfStale() {
        boolean watched = viewers.get() > 0 || System.nanoTime() - askedAt < RESYNC.toNanos();
        if (watched && (stale.getAndSet(false) || System.nanoTime() - lastRead > RESYNC.toNanos())) {
            refresh();
        }
    }

    private void refresh() {
        lastRead = System.nanoTime();
        Map<String, Object> header = new LinkedHashMap<>(cluster);
        Map<String, Object> state = new LinkedHashMap<>();
        try {
            header.put("leader", leader());
            state.put("nodes", ferry.nodes().stream().map(ClusterWatch::node).toList());
            state.put("processes", ferry.list().stream().map(ClusterWatch::process).toList());
        } catch (RuntimeException e) {
            stale.set(true); // try again at the next tick; meanwhile the page says what it shows is old
            header.put("error", "cannot read the cluster: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            LOG.debug("Could not read the cluster: {}", e.toString());
        }
        byte[] now = Json.write(List.of(header.getOrDefault("leader", ""), header.getOrDefault("error", ""), state));
        header.put("at", System.currentTimeMillis());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("cluster", header);
        all.putAll(state);
        if (!state.containsKey("processes")) { // unreadable: what was shown last, marked stale by the error
            synchronized (this) {
                all.putAll(last);
            }
        }
        synchronized (this) {
            boolean changed = !Arrays.equals(now, content);
            content = now;
            json = Json.write(all);
            if (state.containsKey("processes")) {
                last = state;
            }
            if (changed || version == 0) {
                version++;
                notifyAll();
            }
        }
    }

    /** The nodes and processes last read. */
    private Map<String, Object> last = Map.of("nodes", List.of(), "processes", List.of());

    /** The scheduler that last took the epoch, or null. */
    private String leader() {
        try {
            var node = Json.mapper().readTree(client.getData().forPath(ZPaths.EPOCH));
            return node != null && node.hasNonNull("leader") ? node.get("leader").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    static Map<String, Object> node(NodeView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.info().id());
        m.put("state", v.state());
        m.put("host", v.info().host());
        m.put("slots", v.info().slots());
        m.put("used", v.used());
        m.put("labels", v.info().labels());
        m.put("session", v.info().session());
        m.put("upSince", v.info().startedAt());
        m.put("pids", v.pids());
        return m;
    }

    static Map<String, Object> process(ProcessView v) {
        ProcessStatus s = v.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", v.pid());
        m.put("name", v.record().spec().name());
        m.put("className", v.record().spec().className());
        m.put("state", v.state().name());
        m.put("node", v.node());
        m.put("generation", v.generation());
        m.put("snapshot", s == null ? null : s.snapshot());
        m.put("checkpointAt", s == null ? null : s.checkpointAt());
        m.put("since", s == null ? v.record().createdAt() : s.since());
        m.put("createdAt", v.record().createdAt());
        m.put("error", s == null ? null : s.error());
        return m;
    }

    static Map<String, Object> spec(ProcessSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", spec.name());
        m.put("className", spec.className());
        m.put("args", spec.args());
        m.put("classpath", spec.classpath());
        m.put("labels", spec.labels());
        m.put("node", spec.node());
        m.put("isolation", spec.isolation() == null ? null : spec.isolation().name().toLowerCase(java.util.Locale.ROOT));
        m.put("memory", spec.memoryBytes() == null ? null : ByteSizes.format(spec.memoryBytes()));
        m.put("checkpointEvery", spec.checkpointEveryMs() == null ? null
                : Durations.format(Duration.ofMillis(spec.checkpointEveryMs())));
        return m;
    }

    @Override
    public void close() {
        closed = true;
        refresher.shutdownNow();
        caches.forEach(CuratorCache::close);
        synchronized (this) {
            notifyAll();
        }
    }
}
