package io.ferry.scheduler;

import io.ferry.coordination.FerryMetrics;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.SnapshotStore;
import io.ferry.coordination.ZPaths;
import io.ferry.coordination.Zk;
import java.io.Closeable;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler process. Any number may run; Curator's {@link LeaderSelector} makes one the leader and the rest
 * stand by with warm caches. The leader bumps the epoch and runs the {@link Reconciler} on its one thread
 * ({@code ferry-reconciler}) until it loses leadership: on a SUSPENDED or LOST connection the listener adapter
 * cancels it at once, and a write refused by the epoch check ends it too. It then queues up again.
 */
public final class Scheduler implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    public static final String RESYNC = "ferry.scheduler.resync";

    private enum State { LATENT, STARTED, CLOSED }

    private final CuratorFramework client;
    private final String id;
    private final ClusterView view;
    private final Reconciler reconciler;
    private final LeaderSelector selector;
    private final ScheduledExecutorService timer;
    private final ExecutorService cleaner;
    private final ExecutorService leaderThread;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private volatile boolean leading;
    private volatile int epoch = -1;

    public Scheduler(CuratorFramework client, String id, FerrySettings settings) {
        this(client, id, settings.duration(RESYNC, Duration.ofSeconds(30)), settings.snapshotMaxBytes(),
                settings.specMaxBytes(), Retention.from(settings), CrashLoop.from(settings), StartRate.from(settings),
                FailingNodes.from(settings));
        io.ferry.coordination.Acls.requireRole(settings, io.ferry.coordination.Acls.SCHEDULERS, "scheduler");
    }

    private Scheduler(CuratorFramework client, String id, Duration resync, long snapshotMaxBytes, long specMaxBytes,
            Retention retention, CrashLoop crashLoop, StartRate startRate, FailingNodes failingNodes) {
        this.client = client;
        this.id = id;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ferry-scheduler-timer-" + id));
        this.cleaner = Executors.newSingleThreadExecutor(r -> daemon(r, "ferry-scheduler-gc-" + id));
        Reconciler[] self = new Reconciler[1];
        this.view = new ClusterView(client, specMaxBytes, pid -> self[0].dirty(pid),
                (node, joined) -> self[0].nodeChanged(node, joined));
        this.reconciler = new Reconciler(client, view, new SnapshotStore(client, snapshotMaxBytes), resync,
                retention, crashLoop, startRate, failingNodes, timer, cleaner);
        self[0] = reconciler;
        this.leaderThread = Executors.newSingleThreadExecutor(r -> daemon(r, "ferry-reconciler"));
        this.selector = new LeaderSelector(client, ZPaths.LEADER, leaderThread, new LeaderSelectorListenerAdapter() {
            @Override
            public void takeLeadership(CuratorFramework c) throws Exception {
                lead();
            }
        });
        selector.setId(id);
        selector.autoRequeue();
    }

    public String id() {
        return id;
    }

    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        Zk.ensureLayout(client);
        meter();
        view.start();
        selector.start();
    }

    /** Whether this scheduler currently leads (and has bumped the epoch). */
    public boolean isLeader() {
        return leading;
    }

    /**
     * Whether its view of the cluster is loaded: a standby that is loaded takes over in the time a failover takes,
     * one that is not loads its caches first (seconds with 100,000 processes).
     */
    public boolean isLoaded() {
        return view.isLoaded();
    }

    /** The epoch this scheduler leads under, or -1. */
    public int epoch() {
        return leading ? epoch : -1;
    }

    /** How many steps this scheduler's reconciler has written. */
    public long steps() {
        return reconciler.steps();
    }

    private static final io.micrometer.core.instrument.Counter LEADER_CHANGES = FerryMetrics.counter(
            FerryMetrics.LEADER_CHANGES, "Times a scheduler of this JVM became the leader");

    /**
     * Meters what only the leader knows: whether this scheduler leads, and its cluster's processes by state (0 on a
     * scheduler that stands by), counted at most once per {@link #COUNT_EVERY} however often it is scraped.
     */
    private void meter() {
        gauges.add(io.micrometer.core.instrument.Gauge.builder(FerryMetrics.LEADER, this, s -> s.leading ? 1 : 0)
                .description("1 while this scheduler leads").tag("scheduler", id).register(FerryMetrics.registry()));
        for (io.ferry.coordination.ProcessState state : io.ferry.coordination.ProcessState.values()) {
            gauges.add(io.micrometer.core.instrument.Gauge.builder(FerryMetrics.PROCESSES, this,
                    s -> s.counts().getOrDefault(state, 0L)).description("Processes by state, as the leader sees them")
                    .tags("state", state.name(), "scheduler", id).register(FerryMetrics.registry()));
        }
    }

    /** Removed at close: a scheduler of the same id started later in this JVM registers its own. */
    private final java.util.List<io.micrometer.core.instrument.Meter> gauges = new java.util.ArrayList<>();

    private static final long COUNT_EVERY_NANOS = 5_000_000_000L;
    private long countedAt;
    private java.util.Map<io.ferry.coordination.ProcessState, Long> counted = java.util.Map.of();

    private synchronized java.util.Map<io.ferry.coordination.ProcessState, Long> counts() {
        if (!leading || !view.isLoaded()) {
            return java.util.Map.of();
        }
        if (System.nanoTime() - countedAt > COUNT_EVERY_NANOS || counted.isEmpty()) {
            java.util.Map<io.ferry.coordination.ProcessState, Long> c = new java.util.EnumMap<>(
                    io.ferry.coordination.ProcessState.class);
            for (String pid : view.pids()) {
                try {
                    var st = view.status(pid);
                    if (st != null) {
                        c.merge(st.value().state(), 1L, Long::sum);
                    }
                } catch (RuntimeException malformed) {
                    // the reconciler fails it; not counted meanwhile
                }
            }
            counted = c;
            countedAt = System.nanoTime();
        }
        return counted;
    }

    private void lead() throws Exception {
        Epoch e = Epoch.take(client, id);
        epoch = e.value();
        leading = true;
        LOG.info("Scheduler {} is the leader (epoch {})", id, e.value());
        LEADER_CHANGES.increment();
        try {
            reconciler.lead(e);
        } catch (Epoch.DeposedException deposed) {
            LOG.warn("Scheduler {}: {}; standing down", id, deposed.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception failure) {
            LOG.warn("Scheduler {}: standing down after a ZooKeeper failure ({}); it will queue up again", id,
                    failure.toString());
        } catch (Error bug) {
            LOG.error("Scheduler {}: the reconciler failed; standing down", id, bug);
            throw bug;
        } finally {
            leading = false;
            LOG.info("Scheduler {} is no longer the leader", id);
        }
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        selector.close();
        leaderThread.shutdown();
        try {
            leaderThread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS); // let it release its lock
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        view.close();
        gauges.forEach(FerryMetrics.registry()::remove);
        timer.shutdownNow();
        cleaner.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        return io.ferry.coordination.FerryThreads.daemon(r, name);
    }
}
