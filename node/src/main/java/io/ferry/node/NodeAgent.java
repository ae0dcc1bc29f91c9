package io.ferry.node;

import io.ferry.coordination.Assignment;
import io.ferry.coordination.AssignmentTable;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.Json;
import io.ferry.coordination.MultiRead;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.NodeTable;
import io.ferry.coordination.ProcessIdentity;
import io.ferry.coordination.ProcessRecord;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessTable;
import io.ferry.coordination.SnapshotStore;
import io.ferry.coordination.StatusTable;
import io.ferry.coordination.Versioned;
import io.ferry.coordination.ZPaths;
import io.ferry.coordination.Zk;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node: registers itself in {@code /nodes}, watches {@code /assignments/{id}} and runs what it is given.
 *
 * <p>All decisions happen on one control thread ({@code ferry-node-{id}}); cache and connection callbacks only
 * enqueue work there. Each process runs on its own {@link ProcessRunner} thread. When the ZooKeeper connection is
 * SUSPENDED the node pauses its processes; on RECONNECTED with the same session it continues them; when the
 * session is LOST it discards them without writing anything and only then registers again, with its new session,
 * taking only what is assigned to that session.
 */
public final class NodeAgent implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    public static final String VERSION = "0.1.0";

    private enum State { LATENT, STARTED, CLOSED }

    private final CuratorFramework client;
    private final NodeConfig config;
    private final NodeTable nodes;
    private final AssignmentTable assignments;
    private final StatusTable statuses;
    private final ProcessTable processes;
    private final SnapshotStore snapshots;
    private final io.ferry.worker.Loading loading;
    private final WorkerPool workers;
    private final ExecutorService control;
    private final ScheduledExecutorService timer;
    private final ExecutorService helpers;
    private final ExecutorService logShipper;
    private final io.ferry.coordination.LogStore logs;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final ConnectionStateListener connectionListener = (c, s) -> onControl(() -> onConnection(s));

    // Owned by the control thread.
    private final Map<String, ProcessRunner> runners = new HashMap<>();
    private final List<ProcessRunner> abandoned = new ArrayList<>();
    private CuratorCache cache;
    private String session;
    private boolean registered;
    /** A retry of {@link #register} is scheduled (control thread only). */
    private boolean registerDue;
    private NodeInfo registeredInfo;
    /** Another session's registration of our id that we are waiting out, and until when. */
    private HeldId held;
    /** Why this node will not register (its id belongs to a live node); null unless refused. */
    private volatile String refused;
    private final ProcessIdentity self;
    private final org.apache.zookeeper.Watcher releaseWatch = event -> onControl(this::register);

    private record HeldId(long czxid, long until) {}

    public NodeAgent(CuratorFramework client, NodeConfig config) {
        this(client, config, NodeAgent.class.getClassLoader());
    }

    /** @param processLoader the parent of every process class loader (holds the api, compat and examples) */
    public NodeAgent(CuratorFramework client, NodeConfig config, ClassLoader processLoader) {
        this.client = client;
        this.config = config;
        this.nodes = new NodeTable(client);
        this.assignments = new AssignmentTable(client);
        this.statuses = new StatusTable(client);
        this.processes = new ProcessTable(client);
        this.snapshots = new SnapshotStore(client, config.snapshotMaxBytes(), config.policy().snapshotKey());
        this.loading = new io.ferry.worker.Loading(processLoader);
        this.control = Executors.newSingleThreadExecutor(r -> daemon(r, "ferry-node-" + config.id()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ferry-node-timer-" + config.id()));
        java.util.concurrent.atomic.AtomicInteger helper = new java.util.concurrent.atomic.AtomicInteger();
        this.helpers = Executors.newCachedThreadPool(
                r -> daemon(r, "ferry-node-helper-" + config.id() + "-" + helper.incrementAndGet()));
        this.logShipper = Executors.newSingleThreadExecutor(r -> daemon(r, "ferry-node-logs-" + config.id()));
        this.workers = new WorkerPool(config.workerPool(), config.memoryBytes(),
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ferry-node-workers-" + config.id())));
        this.logs = new io.ferry.coordination.LogStore(client, config.logMaxBytes());
        this.self = ProcessIdentity.current(config.host());
    }

    public String id() {
        return config.id();
    }

    /**
     * How long a worker JVM runs on without word from this agent: a third of the negotiated session timeout, so
     * that a frozen agent's processes have ended before its session expires and they are started elsewhere.
     */
    private Duration workerLease() {
        int session;
        try {
            session = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
        } catch (Exception e) {
            session = 0;
        }
        if (session <= 0) {
            session = client.getZookeeperClient().getConnectionTimeoutMs();
        }
        // a third of it, or up to 2 s when that is short, but always under half the session
        return Duration.ofMillis(Math.max(session / 3, Math.min(2_000, session / 2)));
    }

    /** How many started worker JVMs wait for a process here (jvm isolation). */
    public int idleWorkers() {
        return workers.idle();
    }

    /** Starts the agent: waits for ZooKeeper in the background, registers, and runs what it is assigned. */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("Cannot be started more than once");
        }
        ProcessOutput.install();
        workers.start();
        client.getConnectionStateListenable().addListener(connectionListener);
        cache = CuratorCache.build(client, ZPaths.assignments(config.id()));
        cache.listenable().addListener((type, before, after) -> {
            ChildData d = after != null ? after : before;
            if (d != null && d.getPath().split("/").length == 4) {
                String pid = ZPaths.lastSegment(d.getPath());
                onControl(() -> reconcile(pid));
            }
        });
        onControl(this::register);
        cache.start();
        long resync = config.resync().toMillis();
        timer.scheduleWithFixedDelay(() -> onControl(this::resync), resync, resync, TimeUnit.MILLISECONDS);
    }

    /**
     * Why this node will not register, or null: its id is held by a live node (another session that outlived its
     * timeout). A node in this state does nothing until closed.
     */
    public String refusal() {
        return refused;
    }

    /** Whether the node is registered with a live session. */
    public boolean isRegistered() {
        return call(() -> registered);
    }

    /** The pids running here, by generation. */
    public Map<String, Long> running() {
        return call(() -> {
            Map<String, Long> out = new java.util.TreeMap<>();
            runners.forEach((pid, r) -> out.put(pid, r.generation()));
            return out;
        });
    }

    /** Every process this node holds, and the abandoned threads that still run here, by pid. */
    public List<LocalProcess> processes() {
        return call(() -> {
            List<LocalProcess> out = new ArrayList<>();
            runners.values().forEach(r -> out.add(new LocalProcess(r.pid(), r.generation(), r.phase().name(), false)));
            abandonedPids();
            abandoned.forEach(r -> out.add(new LocalProcess(r.pid(), r.generation(), "ABANDONED", true)));
            out.sort(java.util.Comparator.comparing(LocalProcess::pid));
            return out;
        });
    }

    /**
     * Stops at once, as a crash would: every process is dropped where it is and nothing more is written to
     * ZooKeeper. The caller then closes the Curator client, which ends the session. For tests and demos; a real
     * crash needs no call.
     */
    public void halt() {
        if (state.getAndSet(State.CLOSED) != State.STARTED) {
            return;
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        call(() -> {
            discardAll("halted");
            return null;
        });
        if (cache != null) {
            cache.close();
        }
        workers.close();
        logShipper.shutdownNow();
        timer.shutdownNow();
        helpers.shutdownNow();
        control.shutdownNow();
    }

    /**
     * Leaves the cluster: snapshots every running process (so it continues elsewhere from here), stops it, and
     * unregisters.
     */
    @Override
    public void close() {
        leave(ProcessRunner.Request.DRAIN);
    }

    /**
     * Stops with the whole cluster (schedulers already stopped): snapshots every running process and records it
     * SUSPENDED, "cluster stopped", rather than handing it on; it continues when the cluster starts again.
     */
    public void stopWithCluster() {
        leave(ProcessRunner.Request.STOP);
    }

    private void leave(ProcessRunner.Request how) {
        if (!state.compareAndSet(State.STARTED, State.CLOSED)) {
            state.set(State.CLOSED);
            return;
        }
        List<ProcessRunner> draining = call(() -> {
            List<ProcessRunner> all = new ArrayList<>(runners.values());
            all.forEach(r -> r.request(how, null));
            return all;
        });
        long deadline = System.currentTimeMillis() + config.suspendTimeout().toMillis() * 2;
        for (ProcessRunner r : draining) {
            try {
                if (!r.awaitEnd(Math.max(0, deadline - System.currentTimeMillis()))) {
                    LOG.warn("{}: {} did not stop in time; it continues from its previous snapshot", config.id(),
                            r.pid());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        if (cache != null) {
            cache.close();
        }
        call(() -> {
            unregister();
            return null;
        });
        workers.close();
        logShipper.shutdown(); // lets the last output go out
        timer.shutdownNow();
        helpers.shutdown(); // a suspend() that never returns keeps its (daemon) thread
        control.shutdownNow();
    }

    // ---- control thread -------------------------------------------------------------------------------------

    private void onConnection(ConnectionState s) {
        switch (s) {
            case SUSPENDED -> {
                LOG.info("{}: connection to ZooKeeper suspended, pausing {} process(es)", config.id(), runners.size());
                runners.values().forEach(ProcessRunner::pause);
            }
            case RECONNECTED, CONNECTED -> {
                String now = Zk.sessionId(client);
                if (registered && now.equals(session)) {
                    LOG.info("{}: reconnected in session {}, continuing", config.id(), now);
                    runners.values().forEach(ProcessRunner::unpause);
                } else {
                    // a new session, or a LOST came in between: whatever the order of events, register now
                    discardAll("session changed");
                    register();
                }
                resync();
            }
            case LOST -> {
                if (registered && connectedIn(session)) {
                    // Curator replaces an expired session's handle before it reports the expiry, so the new
                    // session's RECONNECTED can come first and we have registered again already: this LOST is
                    // about the old session. Acting on it would leave us deaf to our new session's assignments.
                    LOG.info("{}: ignoring a late LOST; registered and connected in session {}", config.id(), session);
                    return;
                }
                LOG.warn("{}: ZooKeeper session {} lost, discarding {} process(es)", config.id(), session, runners.size());
                discardAll("session lost");
                register(); // as soon as a new session is there
            }
            default -> { }
        }
    }

    /** Whether the client is connected right now in {@code id}, a session id as {@link Zk#sessionId} gives it. */
    private boolean connectedIn(String id) {
        try {
            return client.getZookeeperClient().isConnected() && Zk.sessionId(client).equals(id);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void discardAll(String why) {
        if (!runners.isEmpty()) {
            LOG.info("{}: discarding {} process(es): {}", config.id(), runners.size(), why);
        }
        runners.values().forEach(r -> r.request(ProcessRunner.Request.DISCARD, null));
        runners.clear();
        registered = false;
    }

    private void register() {
        if (state.get() != State.STARTED || refused != null) {
            return;
        }
        if (!client.getZookeeperClient().isConnected()) {
            // CONNECTED / RECONNECTED brings us back here; not only that: ask Curator for its handle, which after an
            // expiry is what makes it start the next session, and look again soon.
            try {
                client.getZookeeperClient().getZooKeeper();
            } catch (Exception stillDown) {
                // not yet: the session timeout has not passed, or ZooKeeper is away
            }
            retryRegister();
            return;
        }
        try {
            Zk.ensureLayout(client);
            assignments.ensureFolder(config.id());
            String current = Zk.sessionId(client);
            NodeInfo info = new NodeInfo(NodeInfo.FORMAT, config.id(), config.host(), config.slots(), config.labels(),
                    VERSION, System.currentTimeMillis(), current, config.workdir().toString(), abandonedPids(), self);
            try {
                nodes.register(info);
            } catch (KeeperException.NodeExistsException e) {
                // whose it is, read once: its owner, creation and version, and what it says
                Stat stat = new Stat();
                NodeInfo other;
                try {
                    other = Json.read(ZPaths.node(config.id()),
                            client.getData().storingStatIn(stat).forPath(ZPaths.node(config.id())), NodeInfo.class);
                } catch (KeeperException.NoNodeException gone) {
                    register(); // it went meanwhile
                    return;
                }
                long mine = client.getZookeeperClient().getZooKeeper().getSessionId();
                if (stat.getEphemeralOwner() == mine) {
                    client.setData().forPath(ZPaths.node(config.id()), Json.write(info));
                } else if (session != null && other.session().equals(session)) {
                    // our previous, expired session's registration; it is ours to replace
                    client.delete().forPath(ZPaths.node(config.id()));
                    nodes.register(info);
                } else if (!takeOverFromTheDead(info, other, stat.getVersion())) {
                    awaitRelease(stat, other);
                    return;
                }
            }
            held = null;
            session = current;
            registeredInfo = info;
            registered = true;
            LOG.info("{}: registered with {} slot(s), session {}", config.id(), config.slots(), session);
            resync();
        } catch (Exception e) {
            LOG.warn("{}: registration failed, will retry: {}", config.id(), e.toString());
            retryRegister();
        }
    }

    /** Tries {@link #register} again in a moment, unless a try is due already or we are registered by then. */
    private void retryRegister() {
        if (registerDue) {
            return;
        }
        registerDue = true;
        try {
            timer.schedule(() -> onControl(() -> {
                registerDue = false;
                if (!registered) {
                    register();
                }
            }), 500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            registerDue = false;
        }
    }

    /**
     * Our id is registered by another session. A supervisor that restarts a killed node meets its old self's
     * registration, which ZooKeeper keeps for the whole session timeout: when that process is provably gone, the
     * stale registration is replaced at once (the leader then recovers the old session's processes). Returns false
     * when there is no such proof.
     */
    private boolean takeOverFromTheDead(NodeInfo info, NodeInfo other, int otherVersion) throws Exception {
        String gone = Takeover.whyGone(self, other.agent());
        if (gone == null) {
            return false;
        }
        nodes.replaceStale(info, otherVersion);
        LOG.info("{}: took over the registration of session {} at once: {}", config.id(), other.session(), gone);
        return true;
    }

    /**
     * Waits for another session's registration of our id to go: as long as that session may live (the session
     * timeout plus a margin, counted from when we first met it), saying once what we wait for. A registration that
     * outlives that belongs to a live node: a real duplicate, refused.
     */
    private void awaitRelease(Stat stat, NodeInfo other) throws Exception {
        long now = System.currentTimeMillis();
        String holder = describeHolder(other);
        if (held == null || held.czxid() != stat.getCzxid()) {
            long timeout = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            held = new HeldId(stat.getCzxid(), now + timeout + Math.max(2_000, timeout / 5));
            LOG.warn("{}: id already registered by {}; waiting until {} for that session to end", config.id(), holder,
                    java.time.Instant.ofEpochMilli(held.until()));
        }
        if (now >= held.until()) {
            refused = "Node id " + config.id() + " is taken by a live node: " + holder + "; stop that node, or start"
                    + " this one with another --id";
            LOG.error("{}: {}", config.id(), refused);
            return;
        }
        // register as soon as it goes, and in any case once more at the deadline
        if (client.checkExists().usingWatcher(releaseWatch).forPath(ZPaths.node(config.id())) == null) {
            register();
            return;
        }
        timer.schedule(() -> onControl(this::register), held.until() - now, TimeUnit.MILLISECONDS);
    }

    private static String describeHolder(NodeInfo other) {
        String where = other.agent() != null ? other.agent().toString() : "host " + other.host();
        return where + " (session " + other.session() + ", up since " + java.time.Instant.ofEpochMilli(
                other.startedAt()) + ")";
    }

    private void unregister() {
        try {
            Versioned<NodeInfo> mine = nodes.read(config.id());
            if (mine != null && mine.value().session().equals(session)) {
                nodes.unregister(config.id(), mine.version());
            }
        } catch (Exception e) {
            LOG.debug("{}: unregister: {}", config.id(), e.toString());
        }
        registered = false;
    }

    private List<String> abandonedPids() {
        abandoned.removeIf(r -> !r.threadAlive());
        return abandoned.stream().map(ProcessRunner::pid).sorted().toList();
    }

    /** Shows in {@code /nodes/{id}} the threads that ignored suspend() and still run here. */
    private void publishAbandoned() {
        List<String> now = abandonedPids();
        if (!registered || registeredInfo == null || registeredInfo.abandoned().equals(now)) {
            return;
        }
        try {
            NodeInfo info = registeredInfo.withAbandoned(now);
            client.setData().forPath(ZPaths.node(config.id()), Json.write(info));
            registeredInfo = info;
        } catch (Exception e) {
            LOG.debug("{}: could not publish abandoned threads: {}", config.id(), e.toString());
        }
    }

    private void resync() {
        if (!registered) {
            return;
        }
        publishAbandoned();
        java.util.Set<String> pids = new java.util.HashSet<>(runners.keySet());
        cache.stream().filter(d -> d.getPath().split("/").length == 4)
                .forEach(d -> pids.add(ZPaths.lastSegment(d.getPath())));
        pids.forEach(this::reconcile);
    }

    /** Brings what runs here for {@code pid} in line with its assignment. Idempotent. */
    private void reconcile(String pid) {
        if (!registered) {
            return;
        }
        ProcessRunner runner = runners.get(pid);
        Assignment a = assignment(pid);
        if (a == null || !a.session().equals(session)) {
            if (a != null) {
                LOG.debug("{}: {} is assigned to session {}, not ours ({})", config.id(), pid, a.session(), session);
            }
            if (runner != null) {
                LOG.info("{}: {} is no longer assigned here, discarding", config.id(), pid);
                runner.request(ProcessRunner.Request.DISCARD, null);
                runners.remove(pid);
            }
            return;
        }
        if (runner != null && runner.generation() < a.generation()) {
            runner.request(ProcessRunner.Request.DISCARD, null);
            runners.remove(pid);
            runner = null;
        }
        if (runner != null && runner.generation() > a.generation()) {
            return; // a stale cache entry
        }
        switch (a.action()) {
            case RUN -> {
                if (runner == null) {
                    start(a);
                } else {
                    runner.checkpointTo(a.checkpoint(), a.desiredVersion());
                }
            }
            case SUSPEND -> {
                if (runner != null) {
                    runner.request(ProcessRunner.Request.SUSPEND, a.desiredVersion());
                }
            }
            case TERMINATE -> {
                if (runner != null) {
                    runner.request(ProcessRunner.Request.TERMINATE, a.desiredVersion());
                } else {
                    terminateIdle(a);
                }
            }
        }
    }

    private Assignment assignment(String pid) {
        return cache.get(ZPaths.assignment(config.id(), pid)).map(d -> {
            try {
                return assignments.decode(d).value();
            } catch (RuntimeException e) {
                LOG.warn("{}: ignoring {}", config.id(), e.getMessage());
                return null;
            }
        }).orElse(null);
    }

    /** Starts a runner for {@code a}; it reads and checks what it needs on its own thread, not this one. */
    private void start(Assignment a) {
        StatusLedger ledger = new StatusLedger(statuses, snapshots, a.pid(), config.id(), session, a.generation());
        ProcessRunner runner = new ProcessRunner(host, a, ledger, snapshots);
        runners.put(a.pid(), runner);
        runner.start();
    }

    /** A TERMINATE for a pid with no runner here (it never started): report it terminated if this node owns it. */
    private void terminateIdle(Assignment a) {
        try {
            StatusLedger ledger = new StatusLedger(statuses, snapshots, a.pid(), config.id(), session, a.generation());
            if (ledger.claim()) {
                ledger.transition(ProcessState.TERMINATED, "terminated before it started");
            }
        } catch (Exception e) {
            LOG.warn("{}: cannot terminate {}: {}", config.id(), a.pid(), e.toString());
        }
    }

    private final ProcessRunner.Host host = new ProcessRunner.Host() {
        @Override
        public String nodeId() {
            return config.id();
        }

        @Override
        public io.ferry.worker.Copy copyFor(String pid, io.ferry.coordination.ProcessSpec spec, ProcessLog output)
                throws java.io.IOException {
            if ((spec.isolation() != null ? spec.isolation() : config.isolation())
                    == io.ferry.coordination.ProcessSpec.Isolation.THREAD) {
                return new io.ferry.worker.LocalCopy(pid, loading, helpers, config.outputFlush(),
                        bound -> ProcessOutput.bind(bound ? output : null));
            }
            long memory = spec.memoryBytes() != null ? spec.memoryBytes() : config.memoryBytes();
            WorkerJvm jvm = workers.take(memory);
            try {
                return new JvmCopy(jvm, pid, output, config.outputFlush(), config.suspendTimeout(), workerLease(),
                        timer);
            } catch (RuntimeException stopping) { // the node's timer is shut: it is stopping
                jvm.kill();
                jvm.cleanUp();
                throw stopping;
            }
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public ExecutorService helpers() {
            return helpers;
        }

        @Override
        public ProcessRunner.Start read(String pid) throws Exception {
            MultiRead reads = new MultiRead(client);
            MultiRead.Slot<Versioned<ProcessStatus>> status = statuses.read(reads, pid);
            MultiRead.Slot<Versioned<ProcessRecord>> record = processes.read(reads, pid);
            MultiRead.Slot<SnapshotStore.Pointer> snapshot = snapshots.pointer(reads, pid);
            reads.execute();
            return new ProcessRunner.Start(status.get(), record.get(), snapshot.get());
        }

        @Override
        public Duration suspendTimeout() {
            return config.suspendTimeout();
        }

        @Override
        public Duration outputFlush() {
            return config.outputFlush();
        }

        @Override
        public long specMaxBytes() {
            return config.specMaxBytes();
        }

        @Override
        public Duration checkpointEvery() {
            return config.checkpointEvery();
        }

        @Override
        public Path workdir() {
            return config.workdir();
        }

        @Override
        public NodePolicy policy() {
            return config.policy();
        }

        @Override
        public io.ferry.coordination.RestartPolicy restartPolicy() {
            return config.restart();
        }

        @Override
        public io.ferry.coordination.LogStore logs() {
            return logs;
        }

        @Override
        public java.util.concurrent.Executor logShipper() {
            return logShipper;
        }

        @Override
        public void ended(ProcessRunner runner) {
            onControl(() -> {
                if (runners.get(runner.pid()) == runner) {
                    runners.remove(runner.pid());
                }
                if (runner.abandoned()) {
                    abandoned.add(runner);
                    publishAbandoned();
                }
            });
        }
    };

    // ---- plumbing -------------------------------------------------------------------------------------------

    private void onControl(Runnable task) {
        if (state.get() == State.CLOSED && control.isShutdown()) {
            return;
        }
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("{}: control task failed", config.id(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> task) {
        try {
            return control.submit(task).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException("Interrupted");
        } catch (Exception e) {
            throw new FerryException("Node " + config.id() + " control thread: " + e, e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        return io.ferry.coordination.FerryThreads.daemon(r, name);
    }
}
