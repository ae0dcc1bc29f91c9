package io.ferry.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * What users and tools call to run processes on a Ferry cluster. It only ever writes {@code /processes} (desired
 * state); the leader scheduler carries requests out, and this client waits for {@code /status} to show the result.
 * Each request checks its preconditions against the current state first and fails with a clear message when they
 * do not hold, changing nothing. Thread-safe.
 */
public final class FerryClient {
    private final CuratorFramework client;
    private final ProcessTable processes;
    private final StatusTable statuses;
    private final NodeTable nodes;
    private final CordonTable cordons;
    private final AvoidanceTable avoidances;
    private final AssignmentTable assignments;
    private final SnapshotStore snapshots;
    private final LogStore logs;
    private final long specMaxBytes;

    public FerryClient(CuratorFramework client) {
        this(client, FerrySettings.defaults());
    }

    /** A client bounded by {@code settings}' snapshot and spec limits. */
    public FerryClient(CuratorFramework client, FerrySettings settings) {
        this.client = client;
        this.specMaxBytes = settings.specMaxBytes();
        long snapshotMaxBytes = settings.snapshotMaxBytes();
        this.processes = new ProcessTable(client);
        this.statuses = new StatusTable(client);
        this.nodes = new NodeTable(client);
        this.cordons = new CordonTable(client);
        this.avoidances = new AvoidanceTable(client);
        this.assignments = new AssignmentTable(client);
        this.snapshots = new SnapshotStore(client, snapshotMaxBytes);
        this.logs = new LogStore(client, Long.MAX_VALUE);
    }

    /** A request that was accepted: which version of the desired state it wrote, and the status before it. */
    public record Ticket(String pid, int desiredVersion, ProcessStatus before) {}

    /** Accepts a new process and returns its pid; the scheduler places it when a node has room. */
    public String launch(ProcessSpec spec) {
        return launchAll(List.of(spec)).get(0);
    }

    /**
     * Accepts many processes at once, in pid order, with two round trips per {@value #LAUNCH_BATCH}: all of a batch
     * or none of it is accepted.
     */
    public List<String> launchAll(List<ProcessSpec> specs) {
        long[] sizes = new long[specs.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Limits.checkSpec(specs.get(i), specMaxBytes);
        }
        return call(() -> {
            for (String node : specs.stream().map(ProcessSpec::node).filter(Objects::nonNull).distinct().toList()) {
                requireLiveNode(node);
            }
            List<String> pids = new ArrayList<>(specs.size());
            for (int from = 0, to; from < specs.size(); from = to) {
                to = batchEnd(sizes, from);
                List<ProcessSpec> batch = specs.subList(from, to);
                List<String> ids = processes.nextPids(batch.size());
                List<ProcessRecord> records = new ArrayList<>(batch.size());
                long now = System.currentTimeMillis();
                for (int i = 0; i < batch.size(); i++) {
                    ProcessSpec spec = batch.get(i);
                    records.add(new ProcessRecord(ProcessRecord.FORMAT, ids.get(i), spec,
                            new Desired(DesiredState.RUNNING, spec.node(), null, 0), now));
                }
                processes.createAll(records);
                pids.addAll(ids);
            }
            return pids;
        });
    }

    /** Processes per transaction in {@link #launchAll}, at most. */
    public static final int LAUNCH_BATCH = 200;
    /** Bytes of specs per transaction in {@link #launchAll}: well under ZooKeeper's 1 MiB per request. */
    private static final long LAUNCH_BATCH_BYTES = 512 * 1024;

    /** Where the transaction that starts at {@code from} ends: at most {@link #LAUNCH_BATCH} specs and 512 KiB. */
    private static int batchEnd(long[] specBytes, int from) {
        long bytes = 0;
        int to = from;
        while (to < specBytes.length && to - from < LAUNCH_BATCH) {
            bytes += specBytes[to] + 256; // the record around the spec
            if (bytes > LAUNCH_BATCH_BYTES && to > from) {
                break;
            }
            to++;
        }
        return to;
    }

    /** Asks for {@code pid} to be suspended: stopped, with its state stored, holding no slot. */
    public Ticket suspend(String pid) {
        return change(pid, (view) -> {
            requireNotTerminal(view, "suspend");
            if (view.record().desired().state() == DesiredState.SUSPENDED || view.state() == ProcessState.SUSPENDED) {
                throw new FerryException(pid + " is already suspended (resume it with 'ferry resume " + pid + "')");
            }
            return d -> d.withState(DesiredState.SUSPENDED);
        });
    }

    /** Asks for a suspended {@code pid} to run again, on {@code node} or (null) wherever there is room. */
    public Ticket resume(String pid, String node) {
        return change(pid, (view) -> {
            requireNotTerminal(view, "resume");
            if (view.record().desired().state() != DesiredState.SUSPENDED) {
                throw new FerryException(pid + " is " + view.state() + ", not suspended: nothing to resume");
            }
            if (node != null) {
                requireOpenNode(node);
            }
            // without a target it goes where it was pinned at launch, if anywhere
            String target = node != null ? node : view.record().spec().node();
            return d -> d.withState(DesiredState.RUNNING).withPlacement(target, null);
        });
    }

    /** Asks for a running {@code pid} to move to {@code node}, or (null) to the best other node. */
    public Ticket migrate(String pid, String node) {
        return change(pid, (view) -> {
            requireNotTerminal(view, "migrate");
            if (view.record().desired().state() != DesiredState.RUNNING || view.state() != ProcessState.RUNNING) {
                throw new FerryException(pid + " is " + view.state() + ", not running: only a running process can"
                        + " be migrated (a suspended one moves with 'ferry resume " + pid + " --to NODE')");
            }
            String from = view.node();
            if (node != null) {
                requireOpenNode(node);
                if (node.equals(from)) {
                    throw new FerryException(pid + " already runs on " + node);
                }
                return d -> d.withPlacement(node, null);
            }
            // without labels to match, the names of the live nodes say enough: no need to read every registration
            Map<String, String> labels = view.record().spec().labels();
            boolean another = labels.isEmpty()
                    ? nodes.ids().stream().anyMatch(id -> !id.equals(from))
                    : nodes.live().values().stream().anyMatch(n -> !n.id().equals(from) && n.matches(labels));
            if (!another) {
                throw new FerryException("No other live node can take " + pid + " (see 'ferry nodes')");
            }
            return d -> d.withPlacement(null, from);
        });
    }

    /** Asks for {@code pid} to be stopped for good. */
    public Ticket terminate(String pid) {
        return change(pid, (view) -> {
            requireNotTerminal(view, "terminate");
            if (view.record().desired().state() == DesiredState.TERMINATED) {
                throw new FerryException(pid + " is already being terminated");
            }
            return d -> d.withState(DesiredState.TERMINATED);
        });
    }

    /**
     * Asks for a FAILED or TERMINATED {@code pid} to start again under its pid: from its latest snapshot, or
     * ({@code fresh}) from its arguments, with its automatic restarts counted from zero again.
     */
    public Ticket restart(String pid, boolean fresh) {
        return change(pid, (view) -> {
            ProcessState state = view.state();
            if (view.record().desired().state() == DesiredState.FORGOTTEN) {
                throw new FerryException(pid + " is being forgotten: it cannot be restarted");
            }
            if (state != ProcessState.FAILED && state != ProcessState.TERMINATED) {
                throw new FerryException(pid + " is " + state + ": only a FAILED or TERMINATED process can be"
                        + " restarted" + (state == ProcessState.COMPLETED ? " (a COMPLETED one is done: launch it"
                        + " again)" : state.isTerminal() ? "" : " (end it first with 'ferry terminate " + pid + "')"));
            }
            return d -> d.withRestart(fresh);
        });
    }

    /**
     * Asks for a finished {@code pid} to be removed now, with its status, snapshots and logs, rather than when its
     * retention ends.
     */
    public Ticket forget(String pid) {
        return change(pid, (view) -> {
            if (!view.state().isTerminal()) {
                throw new FerryException("Cannot forget " + pid + ": it is " + view.state() + "; only a finished"
                        + " process can be forgotten (end it first with 'ferry terminate " + pid + "')");
            }
            return d -> d.withState(DesiredState.FORGOTTEN);
        });
    }

    /** Waits until {@code pid} is gone from the cluster (forgotten, or removed by retention). */
    public void awaitGone(String pid, Duration timeout) {
        Names.checkPid(pid);
        call(() -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                CountDownLatch changed = new CountDownLatch(1);
                if (client.checkExists().usingWatcher((org.apache.zookeeper.Watcher) e -> changed.countDown())
                        .forPath(ZPaths.process(pid)) == null) {
                    return null;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !changed.await(left, TimeUnit.NANOSECONDS)) {
                    throw new FerryException("Timed out after " + Durations.format(timeout) + " waiting for " + pid
                            + " to be removed (is a scheduler running? see 'ferry describe " + pid + "')");
                }
            }
        });
    }

    /** Asks the node running {@code pid} to take a snapshot now. */
    public Ticket checkpoint(String pid) {
        return change(pid, (view) -> {
            requireNotTerminal(view, "checkpoint");
            if (view.state() != ProcessState.RUNNING) {
                throw new FerryException(pid + " is " + view.state() + ", not running: nothing to checkpoint");
            }
            return d -> d.withCheckpoint(d.checkpoint() + 1);
        });
    }

    /** Every process, including finished ones, in pid order ({@link #list(boolean)}). */
    public List<ProcessView> list() {
        return list(true);
    }

    /**
     * The processes, in pid order: every one, or ({@code finished} false) those not yet COMPLETED, FAILED or
     * TERMINATED, reading the records of those only. A process whose znodes cannot be read is left out rather than
     * failing the whole list.
     */
    public List<ProcessView> list(boolean finished) {
        return call(() -> {
            List<String> pids = processes.pids();
            Map<String, Versioned<ProcessStatus>> all = statuses.readAll();
            List<String> shown = finished ? pids : pids.stream()
                    .filter(pid -> all.get(pid) == null || !all.get(pid).value().state().isTerminal()).toList();
            List<ProcessView> out = new ArrayList<>(shown.size());
            for (Versioned<ProcessRecord> r : processes.read(shown).values()) {
                Versioned<ProcessStatus> s = all.get(r.value().pid());
                out.add(new ProcessView(r.value(), r.version(), s == null ? null : s.value()));
            }
            out.sort(java.util.Comparator.comparingLong(v -> Names.number(v.pid())));
            return out;
        });
    }

    /** One process. @throws NoSuchProcessException when there is none */
    public ProcessView describe(String pid) {
        return call(() -> view(pid));
    }

    /** The current snapshot of {@code pid}, if one was stored. */
    public java.util.Optional<SnapshotMeta> snapshot(String pid) {
        return call(() -> snapshots.current(pid));
    }

    /**
     * What {@code pid} printed, wherever it ran: the log chunks after {@code after} (null for all), oldest first.
     *
     * @param onMore called once when more output arrives after this read (for following), or null
     */
    public List<LogStore.Chunk> logs(String pid, String after, Runnable onMore) {
        return call(() -> {
            if (client.checkExists().forPath(ZPaths.process(pid)) == null) {
                throw new NoSuchProcessException(pid);
            }
            return logs.read(pid, after, onMore);
        });
    }

    /** Takes back the watcher {@link #logs} set for {@code onMore}, when the follower leaves before more output came. */
    public void unfollowLogs(String pid, Runnable onMore) {
        call(() -> {
            logs.unwatch(pid, onMore);
            return null;
        });
    }

    /** Live nodes with the pids assigned to each. */
    public List<NodeView> nodes() {
        return call(() -> {
            List<NodeView> out = new ArrayList<>();
            Map<String, Cordon> cordoned = cordons.all();
            Map<String, Avoidance> avoided = avoidances.all();
            long now = System.currentTimeMillis();
            for (NodeInfo info : nodes.live().values()) {
                List<String> pids = new ArrayList<>();
                for (Versioned<Assignment> a : assignments.list(info.id())) {
                    if (a.value().session().equals(info.session())) {
                        pids.add(a.value().pid());
                    }
                }
                Avoidance a = avoided.get(info.id());
                out.add(new NodeView(info, List.copyOf(pids), cordoned.get(info.id()), a != null && a.holds(now) ? a
                        : null));
            }
            return out;
        });
    }

    /**
     * Waits until {@code pid}'s status satisfies {@code goal}.
     *
     * @param what the goal as a verb for messages: "{pid} could not {what}", "waiting for {pid} to {what}"
     *
     * @throws FerryException when the deadline passes, when the process fails or ends otherwise, or when the
     *     request of {@code ticket} (may be null) was rejected; the message says why
     */
    public ProcessStatus await(String pid, Ticket ticket, Predicate<ProcessStatus> goal, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // One watcher object for the whole wait: ZooKeeper keeps one registration for it however often it is set.
        java.util.concurrent.atomic.AtomicReference<CountDownLatch> latest =
                new java.util.concurrent.atomic.AtomicReference<>();
        org.apache.zookeeper.Watcher watcher = event -> latest.get().countDown();
        while (true) {
            CountDownLatch changed = new CountDownLatch(1);
            latest.set(changed);
            ProcessStatus status = call(() -> readStatusWatching(pid, watcher));
            if (status != null) {
                if (goal.test(status)) {
                    return status;
                }
                if (ticket != null && Objects.equals(status.rejectedVersion(), ticket.desiredVersion())) {
                    throw new FerryException(pid + " could not " + what + ": " + status.error());
                }
                if (status.state().isTerminal() && !restartPending(ticket, status)) {
                    String why = status.error() == null ? "" : ": " + status.error();
                    throw new FerryException(pid + " is " + status.state() + why);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                String now = status == null ? "PENDING" : status.state() + (status.node() == null ? "" : " on " + status.node());
                throw new FerryException("Timed out after " + Durations.format(timeout) + " waiting for " + pid + " to "
                        + what + " (it is " + now + ")");
            }
            try {
                changed.await(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FerryException("Interrupted while waiting for " + pid);
            }
        }
    }

    /** Whether {@code status} is the finished one that {@code ticket}, a restart, found: the leader has not acted. */
    private static boolean restartPending(Ticket ticket, ProcessStatus status) {
        ProcessStatus before = ticket == null ? null : ticket.before();
        return before != null && before.state().isTerminal() && status.restarts() == before.restarts();
    }

    /** Waits until {@code pid} runs (after a launch, resume or restart). */
    public ProcessStatus awaitRunning(String pid, Ticket ticket, Duration timeout) {
        long after = ticket == null || ticket.before() == null ? 0 : ticket.before().generation();
        return await(pid, ticket, s -> s.state() == ProcessState.RUNNING && s.generation() > after, "run", timeout);
    }

    /** Waits until {@code pid} reaches {@code state}. */
    public ProcessStatus awaitState(String pid, Ticket ticket, ProcessState state, Duration timeout) {
        return await(pid, ticket, s -> s.state() == state, "reach " + state, timeout);
    }

    /** Waits until the migration of {@code ticket} is done: running under a newer generation on another node. */
    public ProcessStatus awaitMigrated(Ticket ticket, Duration timeout) {
        ProcessStatus before = ticket.before();
        return await(ticket.pid(), ticket, s -> s.state() == ProcessState.RUNNING
                && s.generation() > before.generation() && !Objects.equals(s.node(), before.node()),
                "migrate", timeout);
    }

    /** Waits until the checkpoint of {@code ticket} is stored. */
    public ProcessStatus awaitCheckpoint(Ticket ticket, long wanted, Duration timeout) {
        return await(ticket.pid(), ticket, s -> s.checkpoints() >= wanted, "checkpoint", timeout);
    }

    private ProcessStatus readStatusWatching(String pid, org.apache.zookeeper.Watcher watcher) throws Exception {
        Versioned<ProcessStatus> s = statuses.readWatching(pid, watcher);
        if (s == null && client.checkExists().forPath(ZPaths.process(pid)) == null) {
            throw new NoSuchProcessException(pid);
        }
        return s == null ? null : s.value();
    }

    /** A check of the current state that returns the change to make, or throws to refuse the request. */
    private interface Precondition {
        UnaryOperator<Desired> check(ProcessView view) throws Exception;
    }

    /** Applies a checked change to the desired state, retrying if someone else wrote it meanwhile. */
    private Ticket change(String pid, Precondition precondition) {
        Names.checkPid(pid);
        return call(() -> {
            for (int attempt = 0; ; attempt++) {
                ProcessView view = view(pid);
                UnaryOperator<Desired> change = precondition.check(view);
                ProcessRecord next = view.record().withDesired(change.apply(view.record().desired()));
                try {
                    int version = processes.update(next, view.recordVersion());
                    return new Ticket(pid, version, view.status());
                } catch (KeeperException.BadVersionException raced) {
                    if (attempt >= 5) {
                        throw new FerryException(pid + " is being changed by someone else; try again");
                    }
                }
            }
        });
    }

    private ProcessView view(String pid) throws Exception {
        Names.checkPid(pid);
        MultiRead reads = new MultiRead(client);
        MultiRead.Slot<Versioned<ProcessRecord>> record = processes.read(reads, pid);
        MultiRead.Slot<Versioned<ProcessStatus>> status = statuses.read(reads, pid);
        reads.execute();
        Versioned<ProcessRecord> r = record.get();
        if (r == null) {
            throw new NoSuchProcessException(pid);
        }
        Versioned<ProcessStatus> s = status.get();
        return new ProcessView(r.value(), r.version(), s == null ? null : s.value());
    }

    /** A live node that takes new work. */
    private void requireOpenNode(String node) throws Exception {
        requireLiveNode(node);
        java.util.Optional<Cordon> c = cordons.read(node);
        if (c.isPresent()) {
            throw new FerryException(node + " is " + c.get().state() + ": it takes no new work ('ferry node uncordon "
                    + node + "' opens it again)");
        }
    }

    /** Stops new work going to {@code node}; what runs there stays. */
    public void cordon(String node) {
        call(() -> {
            requireLiveNode(node);
            cordons.set(new Cordon(Cordon.FORMAT, node, Cordon.State.CORDONED, 1, System.currentTimeMillis()));
            return null;
        });
    }

    /** Cordons {@code node} and has its processes moved off, at most {@code parallel} at once. */
    public void drain(String node, int parallel) {
        call(() -> {
            requireLiveNode(node);
            cordons.set(new Cordon(Cordon.FORMAT, node, Cordon.State.DRAINING, parallel, System.currentTimeMillis()));
            return null;
        });
    }

    /** Lets {@code node} take new work again (ending a drain); false when it was not cordoned. */
    public boolean uncordon(String node) {
        return call(() -> {
            Names.checkNode(node);
            return cordons.remove(node);
        });
    }

    private void requireLiveNode(String node) throws Exception {
        Names.checkNode(node);
        if (nodes.read(node) == null) {
            throw new NoSuchNodeException(node);
        }
    }

    private static void requireNotTerminal(ProcessView view, String verb) {
        if (view.state().isTerminal()) {
            throw new FerryException("Cannot " + verb + " " + view.pid() + ": it is " + view.state());
        }
    }

    private interface ZkCall<T> {
        T run() throws Exception;
    }

    private static <T> T call(ZkCall<T> body) {
        try {
            return body.run();
        } catch (FerryException | IllegalArgumentException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException("Interrupted", e);
        } catch (KeeperException.NoAuthException e) {
            throw new FerryException("Not allowed: this role may not change " + (e.getPath() == null ? "that"
                    : e.getPath()) + " (steering processes takes the client role's credentials,"
                    + " FERRY_CONF=DIR/client.properties)", e);
        } catch (Exception e) {
            throw new FerryException("ZooKeeper request failed: " + e.getMessage(), e);
        }
    }
}
