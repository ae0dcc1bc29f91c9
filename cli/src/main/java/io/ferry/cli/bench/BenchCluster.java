package io.ferry.cli.bench;

import io.ferry.cli.LocalCluster;
import io.ferry.cli.ScratchDir;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.Json;
import io.ferry.coordination.Zk;
import io.ferry.coordination.ZPaths;
import io.ferry.node.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.CreateMode;

/**
 * A {@link LocalCluster} for one scenario, in a scratch directory, with a client session of its own and the
 * ZooKeeper floor measured on the same server. Closed without snapshotting what runs.
 */
final class BenchCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofMinutes(2);
    /**
     * The session timeout of clusters starting thousands of processes: with 4 s, a node starved of CPU while two
     * cores start 10,000 threads lost its session.
     */
    static final Duration LOADED_SESSION = Duration.ofSeconds(15);
    private static final String FLOOR_PATH = "/bench-floor";

    final LocalCluster local;
    final CuratorFramework curator;
    final FerryClient client;
    private final ScratchDir dir;

    private BenchCluster(LocalCluster local, CuratorFramework curator, ScratchDir dir) {
        this.local = local;
        this.curator = curator;
        this.client = new FerryClient(curator, local.settings());
        this.dir = dir;
    }

    /** A cluster of {@code nodes} nodes with {@code slots} slots each, no periodic checkpoints. */
    static BenchCluster start(int nodes, int slots, Duration sessionTimeout) {
        return start(nodes, slots, sessionTimeout, Map.of());
    }

    /** Likewise, with {@code extra} settings. */
    static BenchCluster start(int nodes, int slots, Duration sessionTimeout, Map<String, String> extra) {
        ScratchDir dir = ScratchDir.create("ferry-bench-");
        try {
            FerrySettings settings = FerrySettings.defaults()
                    .with(FerrySettings.SESSION_TIMEOUT, sessionTimeout.toMillis() + "ms")
                    .with(NodeConfig.SLOTS, String.valueOf(slots))
                    .with(NodeConfig.CHECKPOINT_EVERY, "0s")
                    // thousands of processes: on threads, unless a scenario measures jvm isolation
                    .with(NodeConfig.ISOLATION, "thread")
                    // the recovery scenarios kill the same processes' node again and again on purpose
                    .with("ferry.restart.attempts", String.valueOf(Integer.MAX_VALUE))
                    .with("ferry.restart.delay", "0s")
                    // a hundred sessions connecting at once on two cores can take longer than the default 5 s
                    .with(FerrySettings.CONNECTION_TIMEOUT, "30s");
            for (Map.Entry<String, String> e : extra.entrySet()) {
                settings = settings.with(e.getKey(), e.getValue());
            }
            LocalCluster local = LocalCluster.start(settings,
                    new LocalCluster.Options(0, null, dir.path(), nodes, slots));
            return new BenchCluster(local, Zk.connect(local.settings(), Duration.ofSeconds(30)), dir);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** One ZooKeeper {@code setData} round trip of a small payload, {@code runs} times after a warm-up. */
    Stats zkRoundTrip(int runs) throws Exception {
        ensureFloorPath();
        byte[] payload = Json.write(Map.of("v", 1, "bench", "floor"));
        for (int i = 0; i < Math.min(20, runs); i++) {
            curator.setData().forPath(FLOOR_PATH, payload);
        }
        List<Long> samples = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            curator.setData().forPath(FLOOR_PATH, payload);
            samples.add(System.nanoTime() - t);
        }
        return Stats.ofNanos(samples);
    }

    /**
     * The id of the last write transaction ZooKeeper applied, by writing one more: the difference of two
     * readings, minus one, is how many writes happened in between.
     */
    long zxid() throws Exception {
        ensureFloorPath();
        return curator.setData().forPath(FLOOR_PATH, new byte[0]).getMzxid();
    }

    private void ensureFloorPath() throws Exception {
        if (curator.checkExists().forPath(FLOOR_PATH) == null) {
            curator.create().withMode(CreateMode.PERSISTENT).forPath(FLOOR_PATH, new byte[0]);
        }
    }

    static ProcessSpec idle(int stateBytes) {
        return new ProcessSpec(null, Idle.class.getName(), List.of(String.valueOf(stateBytes)), null, null, null, 0L);
    }

    /** A watch on {@code /status} (a {@link CuratorCache}, so waiting costs no reads) for {@code goal}. */
    StatusWatch watch(Predicate<ProcessStatus> goal) {
        return new StatusWatch(goal);
    }

    /** Which pids' statuses satisfy a goal, as the cache sees them. */
    final class StatusWatch implements AutoCloseable {
        private final CuratorCache cache;
        private final Set<String> reached = ConcurrentHashMap.newKeySet();
        private final Predicate<ProcessStatus> goal;

        private StatusWatch(Predicate<ProcessStatus> goal) {
            this.goal = goal;
            this.cache = CuratorCache.build(curator, ZPaths.STATUS);
            cache.listenable().addListener((type, before, after) -> seen(after));
            cache.start();
        }

        private void seen(ChildData d) {
            if (d == null || d.getData() == null || d.getData().length == 0
                    || !d.getPath().startsWith(ZPaths.STATUS + "/")) {
                return;
            }
            ProcessStatus s = Json.read(d.getPath(), d.getData(), ProcessStatus.class);
            boolean changed = goal.test(s) ? reached.add(s.pid()) : reached.remove(s.pid());
            if (changed) {
                synchronized (this) {
                    notifyAll();
                }
            }
        }

        /** Waits until at least {@code n} pids satisfy the goal. */
        synchronized void awaitCount(int n, Duration timeout) throws InterruptedException {
            awaitUntil(() -> reached.size() >= n, timeout, n + " processes");
        }

        /** Waits until every one of {@code pids} satisfies the goal. */
        synchronized void awaitAll(java.util.Collection<String> pids, Duration timeout) throws InterruptedException {
            // the size first: checking every pid on every change would cost more than what is measured
            awaitUntil(() -> reached.size() >= pids.size() && reached.containsAll(pids), timeout,
                    pids.size() + " processes");
        }

        private void awaitUntil(java.util.function.BooleanSupplier done, Duration timeout, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what
                            + " (" + reached.size() + " there)");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    static Predicate<ProcessStatus> running() {
        return s -> s.state() == ProcessState.RUNNING;
    }

    @Override
    public void close() {
        try {
            curator.close();
            local.closeNow();
        } finally {
            dir.close();
        }
    }
}
