package io.ferry.scheduler;

import io.ferry.coordination.Cordon;
import io.ferry.coordination.FerryMetrics;
import io.ferry.coordination.Action;
import io.ferry.coordination.Assignment;
import io.ferry.coordination.AssignmentTable;
import io.ferry.coordination.Desired;
import io.ferry.coordination.DesiredState;
import io.ferry.coordination.MalformedDataException;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.ProcessRecord;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.SnapshotStore;
import io.ferry.coordination.StatusTable;
import io.ferry.coordination.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.SetDataRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's control loop. Level-triggered: watch events only mark a pid dirty; {@link #lead} takes dirty pids
 * one at a time, compares what is wanted ({@code /processes}) with what is ({@code /status}, live nodes, and the
 * leader's own record of {@code /assignments}) and takes one idempotent step, in an epoch-fenced transaction. A
 * periodic full resync heals missed events, and a new leader simply starts with every pid dirty, which is how it
 * finishes whatever its predecessor left half-done. What a resync marks waits in a backlog behind what events
 * marked, a batch of it per turn: with 100,000 processes a resync takes seconds, and a launch made meanwhile should
 * not wait for it.
 *
 * <p>Everything but the marking runs on the one thread that calls {@link #lead}.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final long RETRY_MS = 50;
    /** Most pids taken from the queue for one pass. */
    private static final int MAX_BATCH = 256;
    /**
     * Bytes of znode data after which a pass commits what it has staged and goes on in a new transaction: well
     * under ZooKeeper's 1 MiB per request, where a larger one would cost the connection.
     */
    private static final int MAX_TXN_BYTES = 512 * 1024;

    private final CuratorFramework client;
    private final ClusterView view;
    private final AssignmentTable assignmentTable;
    private final StatusTable statusTable;
    private final io.ferry.coordination.ProcessTable processTable;
    private final SnapshotStore snapshots;
    private final Duration resync;
    private final ScheduledExecutorService timer;
    private final ExecutorService cleaner;
    private final Retention retention;
    private final CrashLoop crashLoop;
    private final StartRate startRate;
    private final FailingNodes failingNodes;
    private final io.ferry.coordination.AvoidanceTable avoidances;
    /** Pids held back because the nodes with room have used their start rate: looked at again on a refill. */
    private final Set<String> throttled = new LinkedHashSet<>();
    private boolean refillAwaited;
    /** The queue item that marks a refill of the start rate's buckets. */
    private static final String REFILL = "*";
    private final io.ferry.coordination.LogStore logs;

    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Set<String> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean leading;
    /** What the last resync marked and no pass has looked at since; owned by the leading thread. */
    private final java.util.ArrayDeque<String> backlog = new java.util.ArrayDeque<>();
    private final Set<String> backlogged = new java.util.HashSet<>();

    // Owned by the leading thread.
    private Epoch epoch;
    private final Map<String, Versioned<Assignment>> assigned = new HashMap<>();
    /** Migrations under way: the node each left and when the move was asked ({@link System#nanoTime}). */
    private final Map<String, Move> moving = new HashMap<>();

    private record Move(String from, long startNanos) {}

    /** Moves off each draining node under way, counted once per pass ({@link #movesFrom}). */
    private final Map<String, Integer> inFlight = new HashMap<>();
    /** Pids on draining nodes that wait for a move slot. */
    private final Set<String> drainWaiting = new LinkedHashSet<>();

    /** Recoveries under way: when each process was found LOST (epoch millis, its status's clock). */
    private final Map<String, Long> recovering = new HashMap<>();
    private static final io.micrometer.core.instrument.Timer RECOVERY_DURATION = FerryMetrics.timer(
            FerryMetrics.RECOVERY_DURATION, "From a process found LOST to RUNNING again");

    private static final io.micrometer.core.instrument.Counter PLACEMENTS_FRESH = FerryMetrics.counter(
            FerryMetrics.PLACEMENTS, "Generations placed on a node, by what they start from", "from", "args");
    private static final io.micrometer.core.instrument.Counter PLACEMENTS_SNAPSHOT = FerryMetrics.counter(
            FerryMetrics.PLACEMENTS, "Generations placed on a node, by what they start from", "from", "snapshot");
    private static final io.micrometer.core.instrument.Counter RECOVERIES = FerryMetrics.counter(
            FerryMetrics.RECOVERIES, "LOST processes placed again (a node died, or a process's JVM ended)");
    private static final io.micrometer.core.instrument.Counter MIGRATIONS = FerryMetrics.counter(
            FerryMetrics.MIGRATIONS, "Migrations begun (the process asked to suspend on its node)");
    private static final io.micrometer.core.instrument.Timer MIGRATION_DURATION = FerryMetrics.timer(
            FerryMetrics.MIGRATION_DURATION, "From a migration's suspend request to RUNNING on another node");
    private final Map<String, Integer> used = new HashMap<>();
    private final Set<String> waiting = new LinkedHashSet<>();
    /** Finished pids whose retention is over, found at the last resync: removed as they are reconciled. */
    private Set<String> expired = Set.of();
    private long steps;
    private Step current;

    Reconciler(CuratorFramework client, ClusterView view, SnapshotStore snapshots, Duration resync,
            Retention retention, CrashLoop crashLoop, StartRate startRate, FailingNodes failingNodes,
            ScheduledExecutorService timer, ExecutorService cleaner) {
        this.retention = retention;
        this.failingNodes = failingNodes;
        this.avoidances = new io.ferry.coordination.AvoidanceTable(client);
        this.crashLoop = crashLoop;
        this.startRate = startRate;
        this.logs = new io.ferry.coordination.LogStore(client, Long.MAX_VALUE);
        this.client = client;
        this.view = view;
        this.assignmentTable = new AssignmentTable(client);
        this.statusTable = new StatusTable(client);
        this.processTable = new io.ferry.coordination.ProcessTable(client);
        this.snapshots = snapshots;
        this.resync = resync;
        this.timer = timer;
        this.cleaner = cleaner;
    }

    /** Marks {@code pid} for a pass; callable from any thread. */
    void dirty(String pid) {
        if (leading && queued.add(pid)) {
            queue.add(pid);
        }
    }

    /** A node joined (or changed) or left; callable from any thread. */
    void nodeChanged(String node, boolean joined) {
        if (leading) {
            queue.add(joined ? "+" + node : "-" + node);
        }
    }

    long steps() {
        return steps;
    }

    /**
     * Runs the loop under {@code epoch} until interrupted (leadership cancelled).
     *
     * @throws Epoch.DeposedException when a newer leader's epoch is found
     */
    void lead(Epoch epoch) throws Exception {
        this.epoch = epoch;
        view.awaitLoaded();
        queue.clear();
        queued.clear();
        backlog.clear();
        backlogged.clear();
        moving.clear(); // what an earlier term began is not timed: its start is not known
        drainWaiting.clear();
        recovering.clear();
        throttled.clear();
        refillAwaited = false;
        leading = true;
        try {
            learnFailingNodes();
            resyncAll();
            long nextResync = System.nanoTime() + resync.toNanos();
            while (!Thread.currentThread().isInterrupted()) {
                // due resyncs go first: a leader whose queue never empties would otherwise never heal a miss
                long untilResync = nextResync - System.nanoTime();
                if (untilResync <= 0) {
                    resyncAll();
                    nextResync = System.nanoTime() + resync.toNanos();
                    continue;
                }
                String item = backlog.isEmpty() ? queue.poll(untilResync, TimeUnit.NANOSECONDS) : queue.poll();
                if (REFILL.equals(item)) {
                    refillAwaited = false;
                    List.copyOf(throttled).forEach(this::dirty);
                    throttled.clear();
                } else if (item != null && !isPid(item)) {
                    // A node joined, changed or left. Look again at everything assigned to it: a node that came
                    // back with a new session may show here as a mere change (its ephemeral znode deleted and
                    // re-created faster than the cache looked, or rewritten in place), and what is assigned to its
                    // old session is then lost just as if it had left.
                    String node = item.substring(1);
                    assigned.values().stream().filter(a -> a.value().node().equals(node))
                            .forEach(a -> dirty(a.value().pid()));
                    if (item.startsWith("+")) {
                        List.copyOf(waiting).forEach(this::dirty);
                    }
                } else if (item != null) {
                    List<String> batch = new ArrayList<>();
                    batch.add(item);
                    while (batch.size() < MAX_BATCH && queue.peek() != null && isPid(queue.peek())) {
                        batch.add(queue.poll());
                    }
                    batch.forEach(queued::remove);
                    batch.forEach(backlogged::remove);
                    pass(batch);
                }
                if (!backlog.isEmpty()) {
                    pass(takeBacklog());
                }
            }
        } finally {
            leading = false;
        }
    }

    /** Marks {@code pid} for a pass after what events marked (a resync's work). */
    private void toBacklog(String pid) {
        if (backlogged.add(pid)) {
            backlog.add(pid);
        }
    }

    /** Up to {@link #MAX_BATCH} pids from the backlog that no pass has looked at since they were put there. */
    private List<String> takeBacklog() {
        List<String> batch = new ArrayList<>();
        while (batch.size() < MAX_BATCH && !backlog.isEmpty()) {
            String pid = backlog.poll();
            if (backlogged.remove(pid)) {
                batch.add(pid);
            }
        }
        return batch;
    }

    private static boolean isPid(String item) {
        return item.charAt(0) != '+' && item.charAt(0) != '-' && item.charAt(0) != '*';
    }

    /**
     * One pass over {@code pids}: a step for each, committed together in as few fenced transactions as fit under
     * {@link #MAX_TXN_BYTES}, since a round trip (and its fsync) costs far more than deciding. If a transaction
     * fails, its pids go again one at a time, so a stale view of one cannot hold up the others.
     */
    private void pass(List<String> pids) throws Exception {
        inFlight.clear(); // counted again from the view: what this pass stages is added as it goes
        Step batch = new Step();
        List<String> changed = new ArrayList<>();
        for (String pid : pids) {
            current = new Step();
            try {
                if (reconcile(pid)) {
                    batch.absorb(current);
                    changed.add(pid);
                }
            } catch (RuntimeException e) {
                current.rollback();
                LOG.warn("{}: reconcile failed: {}", pid, e.toString());
                retryLater(pid);
            } finally {
                current = null;
            }
            if (batch.bytes >= MAX_TXN_BYTES) {
                commit(batch, changed);
                batch = new Step();
                changed = new ArrayList<>();
            }
        }
        commit(batch, changed);
    }

    private void commit(Step batch, List<String> changed) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        try {
            batch.commit();
            steps += changed.size();
            changed.forEach(this::dirty); // look again: there may be a next step
        } catch (Epoch.DeposedException | InterruptedException e) {
            throw e;
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException
                | KeeperException.NoNodeException e) {
            // our view was stale (someone wrote meanwhile): forget our own guesses and look again. Any other
            // failure (a lost connection) may have applied the writes or not: it ends leadership, and the next
            // leader, perhaps this one, rebuilds its view from ZooKeeper.
            batch.rollback();
            if (e instanceof KeeperException.NoNodeException) {
                statusTable.bucketsMayBeGone();
            }
            for (String pid : changed) {
                view.forget(pid);
                reloadAssignment(pid);
            }
            if (changed.size() == 1) {
                LOG.debug("{}: {}; retrying", changed.get(0), e.toString());
                retryLater(changed.get(0));
            } else {
                for (String pid : changed) {
                    pass(List.of(pid));
                }
            }
        }
    }

    private void retryLater(String pid) {
        timer.schedule(() -> dirty(pid), RETRY_MS, TimeUnit.MILLISECONDS);
    }

    /** What the histories say of failed starts, and the avoidances published to match (a new leader's first step). */
    private void learnFailingNodes() {
        failingNodes.clear();
        long now = now();
        for (String pid : view.pids()) {
            Versioned<ProcessStatus> s = view.status(pid);
            if (s != null) {
                failingNodes.learn(s.value(), now);
            }
        }
        List<io.ferry.coordination.Avoidance> current = failingNodes.current(now);
        cleaner.execute(() -> {
            try {
                for (String node : avoidances.all().keySet()) {
                    if (current.stream().noneMatch(a -> a.node().equals(node))) {
                        avoidances.remove(node); // a predecessor's verdict, over or not borne out
                    }
                }
            } catch (Exception e) {
                LOG.debug("reading the avoided nodes: {}", e.toString());
            }
        });
        current.forEach(a -> publish(a.node(), a));
    }

    /** A failed start, if that is how {@code s} ended, counted against its node; a new avoidance is published. */
    private void noteFailedStart(ProcessStatus s) {
        io.ferry.coordination.Transition t = FailingNodes.failedStart(s);
        io.ferry.coordination.Avoidance a = t == null ? null : failingNodes.failed(s.pid(), t, now());
        if (a != null) {
            LOG.warn("{}", failingNodes.why(a));
            publish(a.node(), a);
        }
    }

    /**
     * Writes {@code a} for people to see, or (null) removes {@code node}'s, off the reconciler thread: the leader
     * decides from what it learnt, so a write that fails costs only the display.
     */
    private void publish(String node, io.ferry.coordination.Avoidance a) {
        cleaner.execute(() -> {
            try {
                if (a == null) {
                    avoidances.remove(node);
                } else {
                    avoidances.set(a);
                }
            } catch (Exception e) {
                LOG.debug("{}: publishing its avoidance: {}", node, e.toString());
            }
        });
    }

    private void resyncAll() throws Exception {
        for (String node : failingNodes.expire(now())) {
            LOG.info("{} is no longer avoided", node);
            publish(node, null);
        }
        assigned.clear();
        used.clear();
        for (String node : assignmentTable.nodesWithFolders()) {
            for (Versioned<Assignment> a : assignmentTable.list(node)) {
                remember(a);
            }
        }
        findExpired();
        view.pids().forEach(this::toBacklog);
        assigned.keySet().forEach(this::toBacklog);
    }

    private void reloadAssignment(String pid) throws Exception {
        Versioned<Assignment> known = assigned.get(pid);
        forgetAssignment(pid);
        if (known != null) {
            Versioned<Assignment> fresh = assignmentTable.read(known.value().node(), pid);
            if (fresh != null) {
                remember(fresh);
            }
        }
    }

    private void remember(Versioned<Assignment> a) {
        forgetAssignment(a.value().pid());
        assigned.put(a.value().pid(), a);
        used.merge(a.value().node(), 1, Integer::sum);
    }

    private void forgetAssignment(String pid) {
        Versioned<Assignment> old = assigned.remove(pid);
        if (old != null) {
            used.merge(old.value().node(), -1, Integer::sum);
            if (!waiting.isEmpty()) {
                waiting.stream().limit(16).toList().forEach(this::dirty); // a slot was freed
            }
        }
    }

    /** Stages one step for {@code pid} in {@link #step()}; true when there is something to write. */
    private boolean reconcile(String pid) throws Exception {
        Versioned<ProcessRecord> record;
        try {
            record = view.process(pid);
        } catch (MalformedDataException e) {
            return failMalformed(pid, e);
        }
        Versioned<Assignment> a = assigned.get(pid);
        if (record == null) {
            if (a != null) {
                return step().deleteAssignment(a).staged(); // its desired state is gone: clear the node
            }
            return false;
        }
        ProcessRecord p = record.value();
        Desired desired = p.desired();
        Versioned<ProcessStatus> vs = view.status(pid);
        Map<String, NodeInfo> live = view.liveNodes();
        if (!drainWaiting.isEmpty() && vs != null && movedOffADrainingNode(vs.value())) {
            drainWaiting.remove(pid);
            List.copyOf(drainWaiting).forEach(this::dirty); // a slot is free: the next may go
            drainWaiting.clear();
        }
        Long lostAt = recovering.get(pid);
        if (lostAt != null && vs != null && (vs.value().state().isTerminal()
                || vs.value().state() == ProcessState.RUNNING)) {
            recovering.remove(pid);
            if (vs.value().state() == ProcessState.RUNNING) {
                RECOVERY_DURATION.record(Math.max(0, vs.value().since() - lostAt), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        Move move = moving.get(pid);
        if (move != null && vs != null && (vs.value().state().isTerminal()
                || (vs.value().state() == ProcessState.RUNNING && !move.from().equals(vs.value().node())))) {
            moving.remove(pid);
            if (vs.value().state() == ProcessState.RUNNING) {
                FerryMetrics.since(MIGRATION_DURATION, move.startNanos());
            }
        }

        if (vs == null) {
            return firstLook(record, live);
        }
        ProcessStatus s = vs.value();
        if (s.state().isTerminal()) {
            waiting.remove(pid);
            if (a != null) {
                noteFailedStart(s);
                if (s.state() == ProcessState.COMPLETED) {
                    cleanSnapshots(pid); // a FAILED or TERMINATED one keeps its snapshot until it is forgotten
                }
                return step().deleteAssignment(a).staged();
            }
            if (desired.restart() > s.restarts() && desired.state() == DesiredState.RUNNING
                    && s.state() != ProcessState.COMPLETED) {
                String from = desired.fresh() || s.snapshot() == null ? "from its arguments"
                        : "from snapshot " + s.snapshot();
                LOG.info("{}: restarted by hand ({} was {}), {}", pid, pid, s.state(), from);
                return step().updateStatus(s.restartedByHand(desired.restart(), desired.fresh(),
                        "restarted by hand, " + from, now()), vs.version()).staged();
            }
            if (desired.state() == DesiredState.FORGOTTEN || expired.contains(pid)) {
                LOG.info("{}: removing it ({} {}), its snapshots and logs", pid, s.state(),
                        desired.state() == DesiredState.FORGOTTEN ? "and forgotten" : "past its retention");
                return step().forget(pid, record.version(), vs.version()).staged();
            }
            return false;
        }
        if (a != null && !isAlive(a.value(), live)) {
            Step step = step().deleteAssignment(a);
            if (s.state().isOnNode() && s.generation() == a.value().generation()) {
                LOG.info("{}: node {} is gone, {} generation {} is LOST", pid, a.value().node(), pid, s.generation());
                ProcessStatus lost = s.moveTo(ProcessState.LOST, s.node(), null, s.generation(),
                        "node " + a.value().node() + " left", now());
                return recover(record, vs, lost, s.state() == ProcessState.RUNNING, live, step);
            }
            return step.staged();
        }
        if (a != null && s.state() == ProcessState.LOST && s.generation() == a.value().generation()) {
            // its node reported the copy gone with its JVM: started again just as after the node's death
            LOG.info("{}: generation {} on {} is LOST ({})", pid, s.generation(), a.value().node(), lastReason(s));
            return recover(record, vs, s, true, live, step().deleteAssignment(a));
        }
        if (a != null && s.state() == ProcessState.RESTARTING && s.generation() == a.value().generation()) {
            // it failed on its node, which holds nothing for it now: placed again once its delay is up
            LOG.info("{}: generation {} failed on {}; restarting ({})", pid, s.generation(), a.value().node(),
                    lastReason(s));
            noteFailedStart(s);
            return step().deleteAssignment(a).staged();
        }
        if (desired.state() == DesiredState.TERMINATED || desired.state() == DesiredState.FORGOTTEN) {
            waiting.remove(pid);
            if (a != null) {
                Assignment as = a.value();
                return as.action() != Action.TERMINATE
                        && step().updateAssignment(as.with(Action.TERMINATE, record.version(), as.checkpoint(),
                                epoch.value()), a.version()).staged();
            }
            return step().updateStatus(s.moveTo(ProcessState.TERMINATED, s.node(), null, s.generation(),
                    "terminated", now()), vs.version()).staged();
        }
        if (a != null) {
            return onNode(record, vs, a, live);
        }
        return offNode(record, vs, live);
    }

    /**
     * Stages in {@code step} what follows a loss: FAILED as a crash loop when {@code counts} and the attempts are
     * used up, else placed again at once (one round trip for a recovery) unless it must back off, else recorded
     * LOST to be placed when it may.
     */
    private boolean recover(Versioned<ProcessRecord> record, Versioned<ProcessStatus> vs, ProcessStatus lost,
            boolean counts, Map<String, NodeInfo> live, Step step) throws Exception {
        String pid = lost.pid();
        int losses = crashLoop.losses(lost, now());
        if (counts && crashLoop.exhausted(losses)) {
            String why = crashLoop.reason(losses, lastReason(lost));
            LOG.warn("{}: {}", pid, why);
            return step.updateStatus(lost.moveTo(ProcessState.FAILED, null, null, lost.generation(), why, now()),
                    vs.version()).staged();
        }
        boolean placed = record.value().desired().state() == DesiredState.RUNNING
                && !backingOff(pid, crashLoop.notBefore(lost.since(), losses))
                && place(record, new Versioned<>(lost, vs.version()), live, step);
        if (placed) {
            countRecovery(step, pid, lost.since());
        }
        if (!placed && lost != vs.value()) {
            step.updateStatus(lost, vs.version());
        }
        return step.staged();
    }

    /** When {@code s} was found LOST, if that is what it waits after (LOST, perhaps then PENDING); else null. */
    private static Long lostAt(ProcessStatus s) {
        List<io.ferry.coordination.Transition> h = s.history();
        for (int i = h.size() - 1; i >= 0; i--) {
            ProcessState state = h.get(i).state();
            if (state != ProcessState.PENDING) {
                return state == ProcessState.LOST ? h.get(i).at() : null;
            }
        }
        return null;
    }

    private static String lastReason(ProcessStatus s) {
        List<io.ferry.coordination.Transition> h = s.history();
        return h.isEmpty() ? null : h.get(h.size() - 1).reason();
    }

    /** The pid is assigned to a live node. */
    private boolean onNode(Versioned<ProcessRecord> record, Versioned<ProcessStatus> vs, Versioned<Assignment> va,
            Map<String, NodeInfo> live) throws Exception {
        ProcessRecord p = record.value();
        ProcessStatus s = vs.value();
        Assignment a = va.value();
        boolean current = s.generation() == a.generation();
        switch (a.action()) {
            case RUN -> {
                if (!current || s.state() != ProcessState.RUNNING) {
                    return false; // starting, or the status has not caught up
                }
                // a request the node could not carry out is not tried again until the desired state changes
                boolean rejected = s.rejectedVersion() != null && s.rejectedVersion() == record.version();
                if (p.desired().state() == DesiredState.SUSPENDED && !rejected) {
                    return suspendOnNode(record, va, "suspend");
                }
                Optional<NodeInfo> move = Placement.moveTarget(p.spec(), p.desired(), a.node(), open(live), used);
                if (move.isPresent() && !rejected) {
                    LOG.info("{}: migrating from {} to {}", p.pid(), a.node(), move.get().id());
                    countMove(p.pid(), a.node());
                    return suspendOnNode(record, va, "migrate");
                }
                Cordon cordon = view.cordons().get(a.node());
                if (cordon != null && cordon.state() == Cordon.State.DRAINING && !rejected && p.spec().node() == null) {
                    if (movesFrom(a.node()) < cordon.parallel()
                            && Placement.choose(p.spec(), p.desired(), open(live), used).isPresent()) {
                        LOG.info("{}: draining {}: moving it off", p.pid(), a.node());
                        inFlight.merge(a.node(), 1, Integer::sum);
                        countMove(p.pid(), a.node());
                        return suspendOnNode(record, va, "drain");
                    }
                    drainWaiting.add(p.pid()); // its turn comes when a move off that node ends
                }
                if (p.desired().checkpoint() > a.checkpoint()) {
                    return step().updateAssignment(a.with(Action.RUN, record.version(), p.desired().checkpoint(),
                            epoch.value()), va.version()).staged();
                }
                return false;
            }
            case SUSPEND -> {
                if (current && s.state() == ProcessState.SUSPENDED) {
                    // Parked: its snapshot holds it and it needs no slot. If it should run (a migration), place it
                    // in the same transaction.
                    Step step = step().deleteAssignment(va);
                    if (p.desired().state() == DesiredState.RUNNING) {
                        place(record, vs, live, step);
                    }
                    return step.staged();
                }
                if (current && s.state() == ProcessState.RUNNING && s.rejectedVersion() != null
                        && s.rejectedVersion() == a.desiredVersion()) {
                    LOG.info("{}: {} could not suspend it ({}); it keeps running there", p.pid(), a.node(), s.error());
                    return step().updateAssignment(a.with(Action.RUN, a.desiredVersion(), a.checkpoint(),
                            epoch.value()), va.version()).staged();
                }
                return false;
            }
            default -> {
                return false; // TERMINATE: the node reports when done
            }
        }
    }

    /** Once the current step commits: a migration off {@code from} has begun, timed from now. */
    private void countMove(String pid, String from) {
        long asked = System.nanoTime();
        step().then(() -> {
            MIGRATIONS.increment();
            moving.put(pid, new Move(from, asked));
        });
    }

    /** Once {@code step} commits: a process found LOST at {@code lostAt} has been placed again. */
    private void countRecovery(Step step, String pid, long lostAt) {
        step.then(() -> {
            RECOVERIES.increment();
            recovering.putIfAbsent(pid, lostAt);
        });
    }

    /**
     * The node to start {@code p} on now ({@link Placement}, among the nodes that take work and have starts left
     * this second), its start counted; empty, with the pid set to wait for a slot or for a refill, when none.
     */
    private Optional<NodeInfo> choose(ProcessRecord p, Desired desired, Map<String, NodeInfo> live) {
        String pid = p.pid();
        Map<String, NodeInfo> open = open(live);
        boolean pinned = desired.node() != null && open.containsKey(desired.node());
        Optional<NodeInfo> best = Optional.empty();
        Map<String, NodeInfo> healthy = pinned ? open : failingNodes.healthy(open, now());
        if (healthy != open) { // a failing node only when no other has room
            best = Placement.choose(p.spec(), desired, healthy, used);
            if (best.isPresent()) {
                open = healthy;
            }
        }
        if (best.isEmpty()) {
            best = Placement.choose(p.spec(), desired, open, used);
        }
        if (best.isEmpty()) {
            waiting.add(pid);
            return best;
        }
        waiting.remove(pid);
        long now = System.nanoTime();
        Optional<NodeInfo> target = best;
        if (!startRate.allows(best.get().id(), now)) {
            Map<String, NodeInfo> ready = new java.util.LinkedHashMap<>(open);
            ready.values().removeIf(n -> !startRate.allows(n.id(), now));
            target = pinned ? Optional.empty() : Placement.choose(p.spec(), desired, ready, used);
        }
        if (target.isEmpty()) {
            throttled.add(pid);
            if (!refillAwaited) {
                refillAwaited = true;
                timer.schedule(() -> queue.add(REFILL), startRate.refillNanos(), TimeUnit.NANOSECONDS);
            }
            return target;
        }
        throttled.remove(pid);
        startRate.take(target.get().id(), now);
        return target;
    }

    /** The live nodes that take new work: cordoned and draining ones left out. */
    private Map<String, NodeInfo> open(Map<String, NodeInfo> live) {
        Map<String, Cordon> cordons = view.cordons();
        if (cordons.isEmpty()) {
            return live;
        }
        Map<String, NodeInfo> out = new java.util.LinkedHashMap<>(live);
        out.keySet().removeAll(cordons.keySet());
        return out;
    }

    /**
     * How many moves off {@code node} are under way: its processes asked to suspend, and those that left it and are
     * not RUNNING yet elsewhere. Read from what ZooKeeper holds, so a new leader counts its predecessor's moves too.
     */
    private int movesFrom(String node) {
        Integer counted = inFlight.get(node);
        if (counted != null) {
            return counted;
        }
        int n = 0;
        for (Versioned<Assignment> va : assigned.values()) {
            Assignment a = va.value();
            if (a.node().equals(node)) {
                n += a.action() == Action.SUSPEND ? 1 : 0;
                continue;
            }
            try {
                Versioned<ProcessStatus> vs = view.status(a.pid());
                if (vs != null && vs.value().state() == ProcessState.STARTING && node.equals(lastRunningOn(vs.value()))) {
                    n++;
                }
            } catch (RuntimeException malformed) {
                // the reconciler fails it on its own pass
            }
        }
        inFlight.put(node, n);
        return n;
    }

    /** The node of the latest RUNNING transition in {@code s}'s history before its current one, or null. */
    private static String lastRunningOn(ProcessStatus s) {
        List<io.ferry.coordination.Transition> h = s.history();
        for (int i = h.size() - 1; i >= 0; i--) {
            if (h.get(i).state() == ProcessState.RUNNING && (s.state() != ProcessState.RUNNING || i < h.size() - 1)) {
                return h.get(i).node();
            }
        }
        return null;
    }

    /** Whether {@code s} is RUNNING now on another node than it last ran on, and that one drains. */
    private boolean movedOffADrainingNode(ProcessStatus s) {
        if (s.state() != ProcessState.RUNNING) {
            return false;
        }
        String before = lastRunningOn(s);
        Cordon c = before == null ? null : view.cordons().get(before);
        return c != null && c.state() == Cordon.State.DRAINING && !before.equals(s.node());
    }

    private boolean suspendOnNode(Versioned<ProcessRecord> record, Versioned<Assignment> va, String why)
            throws Exception {
        Assignment a = va.value();
        LOG.debug("{}: SUSPEND on {} to {}", a.pid(), a.node(), why);
        return step().updateAssignment(a.with(Action.SUSPEND, record.version(), a.checkpoint(), epoch.value()),
                va.version()).staged();
    }

    /** The pid is on no node: pending, lost or suspended. */
    private boolean offNode(Versioned<ProcessRecord> record, Versioned<ProcessStatus> vs, Map<String, NodeInfo> live)
            throws Exception {
        ProcessRecord p = record.value();
        ProcessStatus s = vs.value();
        String pid = p.pid();
        if (s.state().isOnNode()) {
            // Status says it is on a node, yet nothing is assigned: a predecessor died mid-step. Call it lost.
            return step().updateStatus(s.moveTo(ProcessState.LOST, s.node(), null, s.generation(),
                    "no assignment found", now()), vs.version()).staged();
        }
        if (p.desired().state() == DesiredState.SUSPENDED) {
            waiting.remove(pid);
            if (s.state() == ProcessState.SUSPENDED) {
                return false;
            }
            return step().updateStatus(s.moveTo(ProcessState.SUSPENDED, s.node(), null, s.generation(),
                    "suspended while not running", now()), vs.version()).staged();
        }
        if (s.state() == ProcessState.LOST && backingOff(pid, crashLoop.notBefore(s.since(),
                crashLoop.losses(s, now())))) {
            return false; // a crash-looping process waits before it starts again
        }
        if (s.state() == ProcessState.RESTARTING && backingOff(pid, crashLoop.restartAt(s))) {
            return false; // a failed one waits longer before each restart
        }
        Step step = step();
        Long lostAt = lostAt(s);
        boolean placed = place(record, vs, live, step);
        if (placed && lostAt != null) { // placed later than at its loss: backing off, or no room then
            countRecovery(step, pid, lostAt);
        }
        if (!placed && s.state() != ProcessState.PENDING) {
            step.updateStatus(s.moveTo(ProcessState.PENDING, s.node(), null, s.generation(), waitingReason(p), now()),
                    vs.version());
        }
        return !step.isEmpty();
    }

    /**
     * Adds to {@code step} the placement of the pid on the best node under a new generation, from its latest
     * snapshot; false (and the pid waits) when no node has room.
     */
    private boolean place(Versioned<ProcessRecord> record, Versioned<ProcessStatus> vs, Map<String, NodeInfo> live,
            Step step) throws Exception {
        ProcessRecord p = record.value();
        ProcessStatus s = vs.value();
        Desired desired = p.desired();
        if (s.state() == ProcessState.RESTARTING && desired.node() == null) {
            desired = desired.withPlacement(null, s.node()); // another node, if one has room, than it failed on
        }
        Optional<NodeInfo> target = choose(p, desired, live);
        if (target.isEmpty()) {
            return false;
        }
        NodeInfo node = target.get();
        long generation = s.generation() + 1;
        Assignment a = new Assignment(Assignment.FORMAT, p.pid(), node.id(), node.session(), Action.RUN, generation,
                s.snapshot(), record.version(), p.desired().checkpoint(), epoch.value());
        ProcessStatus starting = s.moveTo(ProcessState.STARTING, node.id(), node.session(), generation,
                s.snapshot() == null ? "placed" : "placed, from snapshot " + s.snapshot(), now());
        LOG.debug("{}: placing generation {} on {}", p.pid(), generation, node.id());
        step.createAssignment(a).updateStatus(starting, vs.version())
                .then((s.snapshot() == null ? PLACEMENTS_FRESH : PLACEMENTS_SNAPSHOT)::increment);
        return true;
    }

    /** No status yet: place it straight away if a node has room, else record it as pending. */
    private boolean firstLook(Versioned<ProcessRecord> record, Map<String, NodeInfo> live) throws Exception {
        ProcessRecord p = record.value();
        ProcessStatus pending = ProcessStatus.pending(p.pid(), now(), "accepted");
        if (p.desired().state() != DesiredState.RUNNING) {
            ProcessState state = p.desired().state() == DesiredState.SUSPENDED ? ProcessState.SUSPENDED
                    : ProcessState.TERMINATED;
            return step().createStatus(pending.moveTo(state, null, null, 0, "before it started", now())).staged();
        }
        Optional<NodeInfo> target = choose(p, p.desired(), live);
        if (target.isEmpty()) {
            return step().createStatus(pending.rejecting(-1, waitingReason(p), now())).staged();
        }
        NodeInfo node = target.get();
        Assignment a = new Assignment(Assignment.FORMAT, p.pid(), node.id(), node.session(), Action.RUN, 1, null,
                record.version(), p.desired().checkpoint(), epoch.value());
        ProcessStatus starting = pending.moveTo(ProcessState.STARTING, node.id(), node.session(), 1, "placed", now());
        return step().createAssignment(a).createStatus(starting).then(PLACEMENTS_FRESH::increment).staged();
    }

    private boolean failMalformed(String pid, MalformedDataException e) throws Exception {
        Versioned<ProcessStatus> vs = view.status(pid);
        if (vs != null && vs.value().state().isTerminal()) {
            return false;
        }
        LOG.warn("{}: {}", pid, e.getMessage());
        if (vs == null) {
            ProcessStatus failed = ProcessStatus.pending(pid, now(), "accepted")
                    .moveTo(ProcessState.FAILED, null, null, 0, e.getMessage(), now());
            return step().createStatus(failed).staged();
        }
        if (assigned.containsKey(pid)) {
            return false; // leave a running copy alone; the record may be repaired
        }
        ProcessStatus s = vs.value();
        return step().updateStatus(s.moveTo(ProcessState.FAILED, s.node(), null, s.generation(), e.getMessage(),
                now()), vs.version()).staged();
    }

    /** Whether {@code pid} must wait until {@code notBefore} to start again; marks it for then. */
    private boolean backingOff(String pid, long notBefore) {
        long now = now();
        if (notBefore <= now) {
            return false;
        }
        timer.schedule(() -> dirty(pid), notBefore - now, TimeUnit.MILLISECONDS);
        return true;
    }

    private static boolean isAlive(Assignment a, Map<String, NodeInfo> live) {
        NodeInfo node = live.get(a.node());
        return node != null && node.session().equals(a.session());
    }

    private String waitingReason(ProcessRecord p) {
        if (throttled.contains(p.pid())) {
            return "waiting: the nodes with room have started " + startRate.perSecond() + " processes this second ("
                    + StartRate.SETTING + ")";
        }
        String labels = p.spec().labels().isEmpty() ? "" : " with labels " + p.spec().labels();
        String where = p.desired().node() != null ? " on " + p.desired().node() : "";
        return "waiting for a node" + labels + where + " with a free slot";
    }

    private void cleanSnapshots(String pid) {
        cleaner.execute(() -> {
            try {
                snapshots.delete(pid);
            } catch (Exception e) {
                LOG.debug("{}: snapshot clean-up: {}", pid, e.toString());
            }
        });
    }

    /** Removes what a forgotten pid left besides its record and status, off the reconciler thread. */
    private void cleanAll(String pid) {
        cleaner.execute(() -> {
            try {
                snapshots.delete(pid);
                logs.delete(pid);
            } catch (Exception e) {
                LOG.debug("{}: clean-up: {}", pid, e.toString());
            }
        });
    }

    /** Finds the finished pids past their retention and marks them for a pass. */
    private void findExpired() {
        List<ProcessStatus> finished = new ArrayList<>();
        for (String pid : view.pids()) {
            Versioned<ProcessStatus> s = view.status(pid);
            if (s != null && s.value().state().isTerminal() && !assigned.containsKey(pid)) {
                finished.add(s.value());
            }
        }
        expired = retention.expired(finished, now());
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** The step being staged for the pid under reconciliation. */
    private Step step() {
        return current;
    }

    /**
     * Writes to commit in one fenced transaction, and what they change in the leader's view. Assignment creations
     * and deletions count against node slots as soon as they are staged, so later decisions in the same batch see
     * them; {@link #rollback} restores the view when the transaction fails.
     */
    private final class Step {
        private final List<CuratorOp> ops = new ArrayList<>();
        private final List<Consumer<CuratorTransactionResult>> effects = new ArrayList<>();
        /** What to count once the transaction has committed: a step rolled back and retried counts once. */
        private final List<Runnable> committed = new ArrayList<>();
        private final Map<String, Versioned<Assignment>> before = new HashMap<>();
        /** Roughly what the transaction sends: paths and data. */
        private int bytes;

        private void add(CuratorOp op, Consumer<CuratorTransactionResult> effect) {
            ops.add(op);
            effects.add(effect);
            Op zop = op.get();
            org.apache.jute.Record request = zop.toRequestRecord();
            bytes += zop.getPath().length() + 64;
            if (request instanceof CreateRequest c) {
                bytes += c.getData().length;
            } else if (request instanceof SetDataRequest d) {
                bytes += d.getData().length;
            }
        }

        Step createAssignment(Assignment a) throws Exception {
            noteBefore(a.pid());
            add(assignmentTable.create(a), r -> { });
            remember(new Versioned<>(a, 0));
            return this;
        }

        Step updateAssignment(Assignment a, int version) throws Exception {
            noteBefore(a.pid());
            add(assignmentTable.update(a, version), r -> remember(new Versioned<>(a, r.getResultStat().getVersion())));
            return this;
        }

        Step deleteAssignment(Versioned<Assignment> a) throws Exception {
            noteBefore(a.value().pid());
            add(assignmentTable.delete(a.value(), a.version()), r -> { });
            forgetAssignment(a.value().pid());
            return this;
        }

        Step createStatus(ProcessStatus s) throws Exception {
            add(statusTable.create(s), r -> view.wrote(s.pid(), s, 0));
            return this;
        }

        /** Removes a finished pid's record and status; its snapshots and logs follow once committed. */
        Step forget(String pid, int recordVersion, int statusVersion) throws Exception {
            add(statusTable.delete(pid, statusVersion), r -> view.removed(pid));
            add(processTable.delete(pid, recordVersion), r -> cleanAll(pid));
            return this;
        }

        Step updateStatus(ProcessStatus s, int version) throws Exception {
            add(statusTable.update(s, version), r -> view.wrote(s.pid(), s, r.getResultStat().getVersion()));
            return this;
        }

        boolean staged() {
            return true;
        }

        Step then(Runnable afterCommit) {
            committed.add(afterCommit);
            return this;
        }

        boolean isEmpty() {
            return ops.isEmpty();
        }

        void absorb(Step other) {
            ops.addAll(other.ops);
            effects.addAll(other.effects);
            committed.addAll(other.committed);
            bytes += other.bytes;
            other.before.forEach((pid, a) -> {
                if (!before.containsKey(pid)) {
                    before.put(pid, a);
                }
            });
        }

        void commit() throws Exception {
            List<CuratorTransactionResult> results = epoch.commit(ops);
            for (int i = 0; i < effects.size(); i++) {
                effects.get(i).accept(results.get(i));
            }
            committed.forEach(Runnable::run);
        }

        void rollback() {
            before.forEach((pid, a) -> {
                forgetAssignment(pid);
                if (a != null) {
                    remember(a);
                }
            });
        }

        private void noteBefore(String pid) {
            if (!before.containsKey(pid)) {
                before.put(pid, assigned.get(pid));
            }
        }
    }
}
