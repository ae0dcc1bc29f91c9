package io.ferry.node;

import io.ferry.api.MigratableProcess;
import io.ferry.api.OutputScope;
import io.ferry.api.WorkingDirectory;
import io.ferry.coordination.Assignment;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.Limits;
import io.ferry.coordination.ProcessRecord;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.SnapshotException;
import io.ferry.coordination.SnapshotStore;
import io.ferry.coordination.Versioned;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one generation of one pid on this node, on its own thread ({@code ferry-proc-{pid}}).
 *
 * <p>The thread reads what it needs in one round trip (status, launch record, snapshot pointer), checks that this
 * node owns the generation, constructs or restores the process, reports RUNNING (with the first snapshot when
 * checkpoints are on), then calls {@code run()}. Requests (suspend,
 * checkpoint, terminate, ...) call the process's {@code suspend()} on a helper thread, never after {@code run()}
 * has returned, and are given a deadline; when {@code run()} returns the thread carries the request out (serialize,
 * store, report) and either calls {@code run()} again or ends. {@code run()} returning with no {@code suspend()}
 * issued since it began means the process completed.
 */
final class ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

    /** What the node wants of the process, in increasing priority: a stronger request replaces a weaker one. */
    enum Request {
        /** Snapshot and continue (periodic). */
        CHECKPOINT,
        /** Snapshot and continue (asked for by a client; a failure is reported against its request). */
        CHECKPOINT_ON_DEMAND,
        /** Snapshot, report SUSPENDED and end. */
        SUSPEND,
        /** Snapshot (status stays RUNNING) and end without a word more: the node is shutting down. */
        DRAIN,
        /** Snapshot, report SUSPENDED ("cluster stopped") and end: the whole cluster is stopping, nobody takes over. */
        STOP,
        /** End for good and report TERMINATED. */
        TERMINATE,
        /** End without writing anything: fenced, or the session was lost. */
        DISCARD;

        boolean keepsRunning() {
            return this == CHECKPOINT || this == CHECKPOINT_ON_DEMAND;
        }

        /** The node is going away: whatever happens, the runner ends. */
        boolean leaves() {
            return this == DRAIN || this == STOP;
        }
    }

    /** The lifecycle of a runner. */
    enum Phase { STARTING, IN_RUN, STOPPED, PAUSED, DONE }

    /** What a runner needs from its node. */
    interface Host {
        String nodeId();

        ProcessLoader loader();

        /** The node's timer: ticks only, never ZooKeeper I/O. */
        java.util.concurrent.ScheduledExecutorService timer();

        /** Threads for calls that may block: {@code suspend()}, and reports made when a deadline passes. */
        ExecutorService helpers();

        /** What a generation starts from, read in one request. */
        Start read(String pid) throws Exception;

        Duration suspendTimeout();

        /** How long bytes a process wrote may wait in a stream's buffer before they reach its file. */
        Duration outputFlush();

        /** The largest launch spec this node starts. */
        long specMaxBytes();

        /** How often to checkpoint when the spec does not say; zero for never. */
        Duration checkpointEvery();

        java.nio.file.Path workdir();

        io.ferry.coordination.LogStore logs();

        java.util.concurrent.Executor logShipper();

        /** Called once, from any thread, when the runner has ended from Ferry's point of view. */
        void ended(ProcessRunner runner);
    }

    /** The status, launch record and snapshot pointer of a pid, as read when a generation starts. */
    record Start(Versioned<ProcessStatus> status, Versioned<ProcessRecord> record, SnapshotStore.Pointer snapshot) {}

    private final Host host;
    private final String pid;
    private final Assignment assignment;
    private final StatusLedger ledger;
    private final SnapshotStore snapshots;
    private final Thread thread;

    private final Object lock = new Object();
    private Phase phase = Phase.STARTING;
    private Request pending;
    private Integer pendingVersion;
    private long requestToken;
    /**
     * Who went first in the current run(): {@link #IN_RUN}, then either {@link #SUSPEND_CALLED} (suspend() was
     * invoked while run() was still inside) or {@link #RETURNED} (run() returned on its own, and suspend() is never
     * called). Decided by compare-and-set, so "completed" and "suspended" cannot both be true.
     */
    private java.util.concurrent.atomic.AtomicInteger gate = new java.util.concurrent.atomic.AtomicInteger(RETURNED);
    private static final int IN_RUN = 0;
    private static final int SUSPEND_CALLED = 1;
    private static final int RETURNED = 2;
    /** A suspend() from an earlier run() is still inside: the next run()'s return counts as a suspension. */
    private boolean carryOver;
    /** Set while the node's connection is suspended: run() is not called. */
    private boolean paused;
    private Future<?> suspendCall;
    private long checkpointsDone;
    private volatile boolean abandoned;
    /** On-demand checkpoints asked for so far (from the assignment). */
    private volatile long wantedCheckpoints;
    private MigratableProcess process;
    private final ProcessLog output;
    /** The output streams of this generation: synced before its end is reported, fenced off once it has ended. */
    private final OutputScope files;

    ProcessRunner(Host host, Assignment assignment, StatusLedger ledger, SnapshotStore snapshots) {
        this.host = host;
        this.pid = assignment.pid();
        this.assignment = assignment;
        this.ledger = ledger;
        this.snapshots = snapshots;
        this.checkpointsDone = assignment.checkpoint();
        this.output = new ProcessLog(host.logs(), pid, host.logShipper(), host.timer());
        this.files = OutputScope.open(host.outputFlush());
        this.thread = io.ferry.coordination.FerryThreads.daemon(this::main, "ferry-proc-" + pid,
                io.ferry.coordination.FerryThreads.PROCESS_STACK_BYTES);
    }

    String pid() {
        return pid;
    }

    long generation() {
        return assignment.generation();
    }

    Phase phase() {
        synchronized (lock) {
            return phase;
        }
    }

    long checkpointsDone() {
        synchronized (lock) {
            return checkpointsDone;
        }
    }

    /** Whether the thread was given up on: the process ignored suspend() and still runs. */
    boolean abandoned() {
        return abandoned;
    }

    void start() {
        thread.start();
    }

    /** Waits until the runner has ended, at most {@code millis}; true if it has. */
    boolean awaitEnd(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (lock) {
            while (phase != Phase.DONE) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    boolean threadAlive() {
        return thread.isAlive();
    }

    /**
     * Asks for {@code request}; a weaker request than the pending one is ignored.
     *
     * @param desiredVersion the client request this serves, to report a failure against, or null
     */
    void request(Request request, Integer desiredVersion) {
        synchronized (lock) {
            if (phase == Phase.DONE || (pending != null && pending.compareTo(request) >= 0)) {
                return;
            }
            pending = request;
            pendingVersion = desiredVersion;
            long token = ++requestToken;
            if (phase == Phase.IN_RUN) {
                issueSuspend(request == Request.TERMINATE);
                host.timer().schedule(() -> host.helpers().execute(() -> deadline(token)),
                        host.suspendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            lock.notifyAll();
        }
    }

    /**
     * Stops the process and keeps it stopped in memory: the node's ZooKeeper connection is suspended, so nothing it
     * does could be recorded. Requests still arrive and are carried out while it stays stopped; run() is not called
     * again until {@link #unpause()}.
     */
    void pause() {
        synchronized (lock) {
            if (paused || phase == Phase.DONE) {
                return;
            }
            paused = true;
            if (phase == Phase.IN_RUN) {
                issueSuspend(false);
            }
            lock.notifyAll();
        }
    }

    /** Lets a paused process run again (the node reconnected in the same session). */
    void unpause() {
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    private void issueSuspend(boolean terminate) {
        if (suspendCall != null && !suspendCall.isDone()) {
            return; // an earlier suspend() has not returned yet; it still stands
        }
        MigratableProcess p = process;
        java.util.concurrent.atomic.AtomicInteger run = gate;
        try {
            suspendCall = host.helpers().submit(() -> callSuspend(p, run, terminate));
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the node has stopped: nothing is asked of its processes any more
        }
    }

    /** Calls suspend() (or terminate()) unless run() has returned first; on a helper thread. */
    private void callSuspend(MigratableProcess p, java.util.concurrent.atomic.AtomicInteger run, boolean terminate) {
        if (!run.compareAndSet(IN_RUN, SUSPEND_CALLED)) {
            return; // run() has returned (or suspend() was already called in it): never call it now
        }
        Thread self = Thread.currentThread();
        String name = self.getName();
        self.setName("ferry-suspend-" + pid); // so a suspend() that hangs is easy to find in a thread dump
        ProcessOutput.bind(output);
        OutputScope.bind(files);
        try {
            if (terminate) {
                p.terminate();
            } else {
                p.suspend();
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: suspend() threw {}", pid, e.toString());
        } finally {
            ProcessOutput.bind(null);
            OutputScope.bind(null);
            self.setName(name);
        }
    }

    /** The process did not return from run() in time: give up on the request. */
    private void deadline(long token) {
        Request late;
        Integer version;
        synchronized (lock) {
            if (token != requestToken || phase != Phase.IN_RUN || pending == null) {
                return;
            }
            late = pending;
            version = pendingVersion;
            pending = null;
            if (late == Request.TERMINATE || late == Request.DISCARD || late.leaves()) {
                phase = Phase.DONE;
                abandoned = true;
            }
        }
        String why = pid + " did not return from run() within " + host.suspendTimeout().toMillis()
                + " ms of suspend()";
        LOG.warn("{} ({} abandoned)", why, late);
        try {
            switch (late) {
                case TERMINATE -> {
                    String unwritten = syncOutput();
                    files.close(); // what the abandoned thread writes from now on is refused
                    ledger.transition(ProcessState.TERMINATED, why + "; its thread was abandoned"
                            + (unwritten == null ? "" : "; " + unwritten));
                    thread.interrupt();
                }
                case DISCARD, DRAIN, STOP -> {
                    files.close(); // another copy continues from the last snapshot: this one may not write
                    thread.interrupt();
                }
                case SUSPEND, CHECKPOINT_ON_DEMAND -> ledger.reject(version, why);
                case CHECKPOINT -> ledger.reject(null, "checkpoint failed: " + why);
            }
        } catch (Exception e) {
            LOG.warn("{}: could not report {}: {}", pid, late, e.toString());
        }
        if (abandoned) {
            host.ended(this);
        }
    }

    private void main() {
        WorkingDirectory.bind(host.workdir());
        OutputScope.bind(files);
        try {
            Start start = host.read(pid);
            if (start.record() == null || !ledger.claim(start.status(), start.snapshot())) {
                return; // ended under this generation already, or not handed over to this node
            }
            ProcessSpec spec = start.record().value().spec();
            // Already RUNNING with no runner here: the runner died (a ZooKeeper failure it could not report). Start
            // again from the latest snapshot, which the transactional streams make safe.
            ProcessStatus status = ledger.current();
            Long from = status.state() == ProcessState.RUNNING ? status.snapshot() : assignment.snapshot();
            Long everyMs = spec.checkpointEveryMs();
            Duration every = everyMs != null ? Duration.ofMillis(everyMs) : host.checkpointEvery();
            LOG.info("{}: starting {} generation {} ({})", host.nodeId(), pid, generation(), spec.commandLine());
            String how = from == null ? "started" : "restored from snapshot " + from;
            String unstartable = null;
            try {
                Limits.checkSpec(spec, host.specMaxBytes()); // another tool may have written the record
                ClassLoader loader = host.loader().loaderFor(spec);
                thread.setContextClassLoader(loader);
                output.note("generation " + generation() + " on " + host.nodeId() + ": " + how
                        + (from != null && !resumesWhereItStopped(start.status().value())
                                ? " (output printed after that snapshot may repeat)" : ""));
                ProcessOutput.bind(output);
                process = from == null ? host.loader().construct(spec, loader) : restore(loader, start.snapshot());
            } catch (FerryException e) {
                unstartable = e.getMessage();
            } catch (KeeperException e) {
                throw e; // ZooKeeper, not the process: started again when the node can read it
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable e) { // any failure of process code or its classes: a static initializer, a linkage
                unstartable = ProcessLoader.whyUnstartable(e);
            } finally {
                ProcessOutput.bind(null);
            }
            if (unstartable != null) {
                // a start that cannot succeed ends FAILED, never STARTING for ever
                LOG.info("{} failed to start: {}", pid, unstartable);
                ledger.transition(ProcessState.FAILED, unstartable);
                return;
            }
            boolean first = from == null && !every.isZero();
            if (!(first ? runningWithFirstSnapshot(how + " on " + host.nodeId())
                    : ledger.transition(ProcessState.RUNNING, how + " on " + host.nodeId()))) {
                return;
            }
            if (!every.isZero()) {
                checkpointEvery(every);
            }
            loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: runner failed: {}", pid, e.toString());
        } finally {
            files.close();
            output.flush();
            synchronized (lock) {
                boolean wasDone = phase == Phase.DONE;
                phase = Phase.DONE;
                lock.notifyAll();
                if (wasDone && abandoned) {
                    return; // already reported as ended when abandoned
                }
            }
            host.ended(this);
        }
    }

    /**
     * Reports RUNNING in the same transaction as a first snapshot of the state just constructed from args, so a
     * crash before the first periodic checkpoint restarts from here (with the streams it opened) rather than from
     * args. If that snapshot cannot be made, the process runs all the same and the status says why.
     */
    private boolean runningWithFirstSnapshot(String how) throws Exception {
        String why;
        try {
            byte[] bytes = ProcessLoader.serialize(process);
            return ledger.storeSnapshot(bytes, process.getClass().getName(), ProcessState.RUNNING, how,
                    checkpointsDone());
        } catch (SnapshotException e) {
            why = e.getMessage();
        } catch (java.io.IOException e) {
            why = "cannot serialize " + pid + ": " + e;
        }
        LOG.warn(why);
        return ledger.transition(ProcessState.RUNNING, how) && ledger.reject(null, "checkpoint failed: " + why);
    }

    /**
     * Whether this generation continues from the very point where the last one stopped: a suspension or a planned
     * move stores the state as it ended, so nothing it printed is printed again. After a crash (LOST) it continues
     * from the last checkpoint instead.
     */
    private static boolean resumesWhereItStopped(ProcessStatus status) {
        java.util.List<io.ferry.coordination.Transition> h = status.history();
        return h.size() >= 2 && h.get(h.size() - 2).state() == ProcessState.SUSPENDED;
    }

    private void checkpointEvery(Duration interval) {
        host.timer().schedule(() -> {
            if (phase() != Phase.DONE) {
                request(Request.CHECKPOINT, null);
                checkpointEvery(interval);
            }
        }, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private MigratableProcess restore(ClassLoader loader, SnapshotStore.Pointer pointer) throws Exception {
        SnapshotStore.Snapshot snapshot;
        try {
            snapshot = snapshots.load(pid, pointer)
                    .orElseThrow(() -> new SnapshotException("No snapshot stored for " + pid));
        } catch (SnapshotException e) {
            throw new FerryException(e.getMessage());
        }
        return host.loader().deserialize(snapshot.bytes(), loader);
    }

    private void loop() throws Exception {
        while (true) {
            // The process is stopped here: carry out what was asked meanwhile before running it again.
            Request asked;
            Integer askedVersion;
            synchronized (lock) {
                asked = pending;
                askedVersion = pendingVersion;
                pending = null;
            }
            if (asked != null) {
                if (!carryOut(asked, askedVersion)) {
                    return;
                }
                continue;
            }
            awaitUnpausedOrRequest();
            java.util.concurrent.atomic.AtomicInteger run;
            synchronized (lock) {
                if (pending != null || paused) {
                    continue; // arrived just now: handle it while stopped
                }
                phase = Phase.IN_RUN;
                run = new java.util.concurrent.atomic.AtomicInteger(carryOver ? SUSPEND_CALLED : IN_RUN);
                gate = run;
            }
            Throwable thrown = runOnce();
            boolean suspended = !run.compareAndSet(IN_RUN, RETURNED);
            Request request;
            Integer version;
            synchronized (lock) {
                if (phase == Phase.DONE) {
                    return; // abandoned meanwhile
                }
                phase = Phase.STOPPED;
                request = pending;
                version = pendingVersion;
                pending = null;
            }
            if (thrown != null && request != Request.DISCARD) {
                String why = thrown.getMessage() != null ? thrown.getMessage() : thrown.toString();
                LOG.info("{} failed: {}", pid, Limits.cut(why));
                String unwritten = syncOutput(); // so that the files show how far it got
                report(ProcessState.FAILED, thrown.getClass().getSimpleName() + ": " + why
                        + (unwritten == null ? "" : "; " + unwritten));
                return;
            }
            if (!suspended) {
                // run() returned on its own before any suspend() reached it: done, whatever was asked meanwhile
                if (request == Request.DISCARD) {
                    return;
                }
                String unwritten = syncOutput();
                if (unwritten != null) {
                    report(ProcessState.FAILED, unwritten);
                } else if (request == Request.TERMINATE) {
                    report(ProcessState.TERMINATED, "terminated as it completed");
                } else {
                    report(ProcessState.COMPLETED, "run() returned");
                }
                return;
            }
            if (!carryOut(request, version)) {
                return;
            }
            awaitSuspendCall();
        }
    }

    /** Carries out what was asked once run() has returned; false when the runner ends. */
    private boolean carryOut(Request request, Integer version) throws Exception {
        if (request == null) {
            return true; // a withdrawn request that the process honoured late: just continue
        }
        switch (request) {
            case DISCARD:
                return false;
            case TERMINATE:
                String unwritten = syncOutput();
                report(ProcessState.TERMINATED, unwritten == null ? "terminated" : "terminated; " + unwritten);
                return false;
            default:
                break;
        }
        byte[] bytes;
        try {
            bytes = ProcessLoader.serialize(process);
        } catch (Exception e) {
            String why = "cannot serialize " + pid + ": " + e;
            LOG.warn(why);
            ledger.reject(request == Request.CHECKPOINT ? null : version, why);
            return !ledger.isFenced() && !request.leaves();
        }
        ProcessState next = request == Request.SUSPEND || request == Request.STOP ? ProcessState.SUSPENDED
                : ProcessState.RUNNING;
        if (!request.keepsRunning()) {
            output.drain(host.suspendTimeout().toMillis()); // its output so far lands before the next copy's
        }
        long checkpoints;
        synchronized (lock) {
            if (request == Request.CHECKPOINT_ON_DEMAND && version != null) {
                checkpointsDone = Math.max(checkpointsDone, wantedCheckpoints);
            }
            checkpoints = checkpointsDone;
        }
        try {
            if (!ledger.storeSnapshot(bytes, process.getClass().getName(), next, reasonFor(request), checkpoints)) {
                return false;
            }
        } catch (SnapshotException e) {
            ledger.reject(request == Request.CHECKPOINT ? null : version, e.getMessage());
            return !request.leaves();
        } catch (Exception e) {
            // ZooKeeper unreachable: nothing was stored. Keep the process going here; a suspend is asked again by
            // the node's next resync, and a checkpoint comes round again.
            LOG.warn("{}: could not store a snapshot ({}): {}", pid, request, e.toString());
            return !request.leaves();
        }
        return request.keepsRunning();
    }

    /** Asks for on-demand checkpoints up to {@code wanted} (from the assignment). */
    void checkpointTo(long wanted, int desiredVersion) {
        if (wanted > checkpointsDone()) {
            wantedCheckpoints = wanted;
            request(Request.CHECKPOINT_ON_DEMAND, desiredVersion);
        }
    }

    private static String reasonFor(Request request) {
        return switch (request) {
            case SUSPEND -> "suspended";
            case DRAIN -> "node shutting down";
            case STOP -> "cluster stopped";
            default -> "checkpoint";
        };
    }

    /**
     * Reports an end state, retrying while ZooKeeper is unreachable: the end of a process must not go unrecorded.
     * Stops when written, when fenced, or when the runner is discarded.
     */
    private void report(ProcessState state, String reason) throws InterruptedException {
        // what it printed is stored before its end is: 'ferry logs' after 'ferry wait' shows all of it, and nothing
        // is written for a pid once it has ended (and may be forgotten)
        output.drain(host.suspendTimeout().toMillis());
        long backoff = 100;
        while (true) {
            try {
                ledger.transition(state, reason);
                return;
            } catch (org.apache.curator.framework.api.CuratorClosedException closed) {
                return; // the node has stopped: the leader finds the pid's node gone
            } catch (Exception e) {
                synchronized (lock) {
                    if (pending == Request.DISCARD) {
                        return;
                    }
                }
                LOG.warn("{}: could not report {} yet: {}", pid, state, e.toString());
                Thread.sleep(backoff); // retry pause in production code, not a test wait
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /**
     * Hands every byte the process wrote to its files and forces them to disk, so that an end state once reported
     * never loses output; null when done, else what could not be written.
     */
    private String syncOutput() {
        try {
            files.sync();
            return null;
        } catch (java.io.IOException e) {
            LOG.warn("{}: {}", pid, e.getMessage());
            return "output not written: " + e.getMessage();
        }
    }

    /** While paused, waits with the process stopped until unpaused or a request arrives. */
    private void awaitUnpausedOrRequest() throws InterruptedException {
        synchronized (lock) {
            if (paused && pending == null) {
                LOG.info("{}: paused", pid);
                phase = Phase.PAUSED;
                while (paused && pending == null) {
                    lock.wait();
                }
                phase = Phase.STOPPED;
                if (!paused) {
                    LOG.info("{}: continuing after pause", pid);
                }
            }
        }
    }

    /**
     * Before run() is called again, waits for an outstanding suspend() to return. A blocking suspend() that is
     * still inside after the deadline (its run() returned without clearing the flag it spins on) stays in force:
     * the next run() is started anyway and its return counts as a suspension, not a completion.
     */
    private void awaitSuspendCall() throws InterruptedException {
        Future<?> call;
        synchronized (lock) {
            call = suspendCall;
        }
        if (call != null) {
            try {
                call.get(host.suspendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException still) {
                // still inside (see below), or threw, which the call itself has logged
            }
        }
        synchronized (lock) {
            carryOver = call != null && !call.isDone();
            if (!carryOver) {
                suspendCall = null;
            }
        }
    }

    private Throwable runOnce() {
        ProcessOutput.bind(output);
        try {
            process.run();
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            ProcessOutput.bind(null);
            output.flush();
        }
    }

    @Override
    public String toString() {
        return pid + "@" + generation() + " " + phase();
    }
}
