package io.ferry.node;

import io.ferry.coordination.FerryMetrics;
import io.ferry.coordination.Assignment;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.Limits;
import io.ferry.coordination.ProcessRecord;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.SnapshotStore;
import io.ferry.coordination.Versioned;
import io.ferry.worker.Copy;
import io.ferry.worker.Launch;
import io.ferry.worker.Loading;
import io.ferry.worker.Ran;
import io.ferry.worker.Unstartable;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one generation of one pid on this node, on its own thread ({@code ferry-proc-{pid}}).
 *
 * <p>The thread reads what it needs in one round trip (status, launch record, snapshot pointer), checks that this
 * node owns the generation, builds the process's {@link Copy} (on a thread of this JVM, or in a worker JVM of its
 * own, as its isolation says), reports RUNNING (with the first snapshot when checkpoints are on), then runs it.
 * Requests (suspend, checkpoint, terminate, ...) call the process's {@code suspend()}, never after {@code run()}
 * has returned, and are given a deadline; when {@code run()} returns the thread carries the request out (serialize,
 * store, report) and either runs it again or ends. {@code run()} returning with no {@code suspend()} issued since
 * it began means the process completed; a copy whose JVM ended is reported LOST, and the leader starts it again
 * from its last snapshot (within its restart attempts).
 */
final class ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);
    private static final io.micrometer.core.instrument.Timer SUSPEND_PHASE = FerryMetrics.phase("suspend");
    private static final io.micrometer.core.instrument.Timer RESTORE_PHASE = FerryMetrics.phase("restore");
    /** When suspend() was last asked of the running copy ({@link System#nanoTime}), or 0. */
    private volatile long suspendAsked;

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

    /** The lifecycle of a runner; every change goes through {@link #moveTo}, which checks it is one of these. */
    enum Phase {
        /** Reading its start, building the copy, reporting RUNNING. */
        STARTING,
        /** Inside run(). */
        IN_RUN,
        /** Between runs: carrying out what was asked (serialize, store, report). */
        STOPPED,
        /** Stopped and kept in memory while the node's connection is suspended. */
        PAUSED,
        /** Ended: nothing more is done or reported. */
        DONE,
        /** Given up on inside run() (it ignored suspend()): ended for Ferry, while its thread runs on in this JVM. */
        ABANDONED;

        boolean canMoveTo(Phase next) {
            return switch (this) {
                case STARTING, STOPPED -> next == IN_RUN || next == PAUSED || next == DONE;
                case IN_RUN -> next == STOPPED || next == DONE || next == ABANDONED;
                case PAUSED -> next == STOPPED || next == DONE;
                case DONE, ABANDONED -> false;
            };
        }

        boolean ended() {
            return this == DONE || this == ABANDONED;
        }
    }

    /**
     * Everything that decides what a runner does next, replaced whole by {@link #moveTo}: its phase, the strongest
     * request not yet carried out (with the client request it serves, and a token that tells a deadline whether it
     * is still the one it was set for), and whether the node's connection is suspended, so run() is not called.
     */
    record State(Phase phase, Request pending, Integer pendingVersion, long token, boolean paused) {
        static final State INITIAL = new State(Phase.STARTING, null, null, 0, false);

        State in(Phase next) {
            return new State(next, pending, pendingVersion, token, paused);
        }

        State asking(Request request, Integer version) {
            return new State(phase, request, version, token + 1, paused);
        }

        /** The pending request taken to be carried out. */
        State taken() {
            return new State(phase, null, null, token, paused);
        }

        State pausing(boolean pause) {
            return new State(phase, pending, pendingVersion, token, pause);
        }
    }

    /** What a runner needs from its node. */
    interface Host {
        String nodeId();

        /**
         * A new copy for {@code pid} in the isolation its spec (or the node) says, printing to {@code output}.
         *
         * @throws java.io.IOException when a worker JVM cannot be started
         */
        Copy copyFor(String pid, ProcessSpec spec, ProcessLog output) throws java.io.IOException;

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

        /** What the node trusts: snapshot key, classpath and file roots. */
        NodePolicy policy();

        /** What happens to a process that fails here when its spec does not say. */
        io.ferry.coordination.RestartPolicy restartPolicy();

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
    private final Checkpoints checkpoints;
    private final Thread thread;

    private final Object lock = new Object();
    /** Guarded by lock; changed only by {@link #moveTo}. */
    private State state = State.INITIAL;
    private long checkpointsDone;
    /** On-demand checkpoints asked for so far (from the assignment). */
    private volatile long wantedCheckpoints;
    /** The process itself, once built; its files are synced before its end is reported, fenced off after. */
    private volatile Copy copy;
    /** The spec's restart policy, or the node's: set before the process can fail. */
    private volatile io.ferry.coordination.RestartPolicy restart = io.ferry.coordination.RestartPolicy.NEVER;
    private final ProcessLog output;

    ProcessRunner(Host host, Assignment assignment, StatusLedger ledger, SnapshotStore snapshots) {
        this.host = host;
        this.pid = assignment.pid();
        this.assignment = assignment;
        this.ledger = ledger;
        this.checkpoints = new Checkpoints(pid, host.nodeId(), snapshots, ledger);
        this.checkpointsDone = assignment.checkpoint();
        this.output = new ProcessLog(host.logs(), pid, host.logShipper(), host.timer());
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
            return state.phase();
        }
    }

    long checkpointsDone() {
        synchronized (lock) {
            return checkpointsDone;
        }
    }

    /** Whether its thread was given up on: the process ignored suspend() and still runs in this JVM. */
    boolean abandoned() {
        return phase() == Phase.ABANDONED;
    }

    void start() {
        thread.start();
    }

    /** Waits until the runner has ended, at most {@code millis}; true if it has. */
    boolean awaitEnd(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (lock) {
            while (!state.phase().ended()) {
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
            if (state.phase().ended() || (state.pending() != null && state.pending().compareTo(request) >= 0)) {
                return;
            }
            moveTo(state.asking(request, desiredVersion));
            long token = state.token();
            if (request == Request.DISCARD && copy != null && copy.ownJvm()) {
                copy.abandon(); // another copy may run now: this one's JVM ends before it writes one byte more
            }
            if (state.phase() == Phase.IN_RUN) {
                copy.suspend(request == Request.TERMINATE);
                suspendAsked = System.nanoTime();
                host.timer().schedule(() -> host.helpers().execute(() -> deadline(token)),
                        host.suspendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Stops the process and keeps it stopped in memory: the node's ZooKeeper connection is suspended, so nothing it
     * does could be recorded. Requests still arrive and are carried out while it stays stopped; run() is not called
     * again until {@link #unpause()}.
     */
    void pause() {
        synchronized (lock) {
            if (state.paused() || state.phase().ended()) {
                return;
            }
            moveTo(state.pausing(true));
            if (state.phase() == Phase.IN_RUN) {
                copy.suspend(false);
            }
        }
    }

    /** Lets a paused process run again (the node reconnected in the same session). */
    void unpause() {
        synchronized (lock) {
            moveTo(state.pausing(false));
        }
    }

    /** The process did not return from run() in time: give up on the request. */
    private void deadline(long token) {
        State was;
        boolean abandoned;
        synchronized (lock) {
            was = state;
            if (token != was.token() || was.phase() != Phase.IN_RUN || was.pending() == null) {
                return;
            }
            Request late = was.pending();
            // a copy in a JVM of its own is ended, so a suspend it ignores ends it too; one in this JVM is left
            boolean ends = late == Request.TERMINATE || late == Request.DISCARD || late.leaves()
                    || (late == Request.SUSPEND && copy.ownJvm());
            abandoned = ends && !copy.ownJvm();
            moveTo(ends ? was.taken().in(abandoned ? Phase.ABANDONED : Phase.DONE) : was.taken());
        }
        Request late = was.pending();
        Integer version = was.pendingVersion();
        String why = pid + " did not return from run() within " + host.suspendTimeout().toMillis()
                + " ms of suspend()";
        LOG.warn("{} ({}{})", why, late, copy.ownJvm() ? "; ending its JVM" : " abandoned");
        FerryMetrics.counter(FerryMetrics.SUSPEND_DEADLINES_MISSED, "Processes that did not return from run() within"
                + " the suspend deadline", "node", host.nodeId()).increment();
        String ended = copy.ownJvm() ? "its JVM was ended" : "its thread was abandoned";
        try {
            switch (late) {
                case TERMINATE -> {
                    String unwritten = syncOutput();
                    copy.abandon(); // what the abandoned thread writes from now on is refused
                    ledger.transition(ProcessState.TERMINATED, why + "; " + ended
                            + (unwritten == null ? "" : "; " + unwritten));
                }
                case DISCARD, DRAIN, STOP -> copy.abandon(); // another copy continues from the last snapshot
                case SUSPEND -> {
                    if (!copy.ownJvm()) {
                        ledger.reject(version, why);
                    } else {
                        copy.abandon();
                        Long from = ledger.current().snapshot();
                        ledger.transition(ProcessState.SUSPENDED, why + "; " + ended + "; it continues from "
                                + (from == null ? "its args" : "snapshot " + from));
                    }
                }
                case CHECKPOINT_ON_DEMAND -> ledger.reject(version, why);
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
        try {
            Start start = host.read(pid);
            if (start.record() == null || !ledger.claim(start.status(), start.snapshot())) {
                return; // ended under this generation already, or not handed over to this node
            }
            ProcessSpec spec = start.record().value().spec();
            restart = spec.restart() != null ? spec.restart() : host.restartPolicy();
            // Already RUNNING with no runner here: the runner died (a ZooKeeper failure it could not report). Start
            // again from the latest snapshot, which the transactional streams make safe.
            ProcessStatus status = ledger.current();
            Long from = status.state() == ProcessState.RUNNING ? status.snapshot() : assignment.snapshot();
            Long everyMs = spec.checkpointEveryMs();
            Duration every = everyMs != null ? Duration.ofMillis(everyMs) : host.checkpointEvery();
            LOG.info("{}: starting {} generation {} ({})", host.nodeId(), pid, generation(), spec.commandLine());
            long startedAt = System.nanoTime();
            String how = from == null ? "started" : "restored from snapshot " + from;
            String unstartable = null;
            try {
                Limits.checkSpec(spec, host.specMaxBytes()); // another tool may have written the record
                host.policy().checkClasspath(spec.classpath(), host.workdir());
                output.note("generation " + generation() + " on " + host.nodeId() + ": " + how
                        + (from != null && !resumesWhereItStopped(start.status().value())
                                ? " (output printed after that snapshot may repeat)" : ""));
                byte[] snapshot = from == null ? null : checkpoints.restore(start.snapshot(), from);
                copy = host.copyFor(pid, spec, output);
                copy.start(new Launch(spec.name(), spec.className(), spec.args(), spec.classpath(),
                        host.workdir().toString(), host.policy().fileRootNames()), snapshot);
            } catch (FerryException | Unstartable e) {
                unstartable = e.getMessage();
            } catch (Copy.Ended e) {
                report(ProcessState.LOST, "its JVM ended while it started: " + e.getMessage());
                return;
            } catch (java.io.IOException e) {
                report(ProcessState.LOST, "cannot start a JVM for it: " + e.getMessage());
                return;
            } catch (KeeperException e) {
                throw e; // ZooKeeper, not the process: started again when the node can read it
            } catch (InterruptedException e) {
                throw e;
            } catch (Throwable e) { // any failure of process code or its classes: a static initializer, a linkage
                unstartable = Loading.whyUnstartable(e);
            }
            if (unstartable != null) {
                // a start that cannot succeed ends FAILED, never STARTING for ever
                LOG.info("{} failed to start: {}", pid, unstartable);
                Failure failure = failure(unstartable);
                ledger.transition(failure.state(), failure.reason());
                return;
            }
            boolean first = from == null && !every.isZero();
            if (!(first ? runningWithFirstSnapshot(how + " on " + host.nodeId())
                    : ledger.transition(ProcessState.RUNNING, how + " on " + host.nodeId()))) {
                return;
            }
            FerryMetrics.counter(FerryMetrics.PROCESS_STARTS, "Generations started to RUNNING, by what from", "node",
                    host.nodeId(), "from", from == null ? "args" : "snapshot").increment();
            if (from != null) {
                FerryMetrics.since(RESTORE_PHASE, startedAt);
            }
            if (!every.isZero()) {
                checkpointEvery(every);
            }
            loop();
        } catch (Copy.Ended e) {
            synchronized (lock) {
                if (state.pending() == Request.DISCARD || state.phase().ended()) {
                    return; // discarded or given up on: nothing more is said
                }
            }
            try {
                report(ProcessState.LOST, "its JVM ended: " + e.getMessage());
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("{}: runner failed: {}", pid, e.toString());
        } finally {
            if (copy != null) {
                copy.close();
            }
            output.flush();
            synchronized (lock) {
                if (state.phase() == Phase.ABANDONED) {
                    return; // already reported as ended when abandoned
                }
                if (state.phase() != Phase.DONE) {
                    moveTo(state.in(Phase.DONE));
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
        Checkpoints.Taken taken = checkpoints.take(copy, ProcessState.RUNNING, how, checkpointsDone());
        if (taken.why() == null) {
            return taken.stored();
        }
        LOG.warn(taken.why());
        return ledger.transition(ProcessState.RUNNING, how) && ledger.reject(null, "checkpoint failed: " + taken.why());
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
            if (!phase().ended()) {
                request(Request.CHECKPOINT, null);
                checkpointEvery(interval);
            }
        }, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loop() throws Exception {
        while (true) {
            // The process is stopped here: carry out what was asked meanwhile before running it again.
            State asked = take(null);
            if (asked.pending() != null) {
                if (!carryOut(asked.pending(), asked.pendingVersion())) {
                    return;
                }
                continue;
            }
            awaitUnpausedOrRequest();
            synchronized (lock) {
                if (state.pending() != null || state.paused()) {
                    continue; // arrived just now: handle it while stopped
                }
                copy.beginRun(); // a request from now on reaches this run, however soon it comes
                moveTo(state.in(Phase.IN_RUN));
            }
            Ran ran = copy.run();
            output.flush();
            State after = take(Phase.STOPPED);
            if (after == null) {
                return; // given up on meanwhile
            }
            Request request = after.pending();
            if (request == Request.SUSPEND && suspendAsked != 0) {
                FerryMetrics.since(SUSPEND_PHASE, suspendAsked);
            }
            suspendAsked = 0;
            Integer version = after.pendingVersion();
            if (ran.outcome() == Ran.Outcome.ENDED) {
                if (request != Request.DISCARD) {
                    LOG.info("{}: its JVM ended: {}", pid, ran.detail());
                    report(ProcessState.LOST, "its JVM ended: " + ran.detail());
                }
                return;
            }
            if (ran.outcome() == Ran.Outcome.THREW && request != Request.DISCARD) {
                LOG.info("{} failed: {}", pid, Limits.cut(ran.detail()));
                String unwritten = syncOutput(); // so that the files show how far it got
                report(failure(ran.detail() + (unwritten == null ? "" : "; " + unwritten)));
                return;
            }
            if (ran.outcome() == Ran.Outcome.COMPLETED) {
                // run() returned on its own before any suspend() reached it: done, whatever was asked meanwhile
                if (request == Request.DISCARD) {
                    return;
                }
                String unwritten = syncOutput();
                if (unwritten != null) {
                    report(failure(unwritten));
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
        ProcessState next = request == Request.SUSPEND || request == Request.STOP ? ProcessState.SUSPENDED
                : ProcessState.RUNNING;
        if (!request.keepsRunning()) {
            output.drain(host.suspendTimeout().toMillis()); // its output so far lands before the next copy's
        }
        long done;
        synchronized (lock) {
            if (request == Request.CHECKPOINT_ON_DEMAND && version != null) {
                checkpointsDone = Math.max(checkpointsDone, wantedCheckpoints);
            }
            done = checkpointsDone;
        }
        try {
            // a copy that is gone (Copy.Ended) is not its state's fault: main reports it LOST
            Checkpoints.Taken taken = checkpoints.take(copy, next, reasonFor(request), done);
            if (taken.fenced()) {
                return false;
            }
            if (taken.why() != null) {
                LOG.warn(taken.why());
                ledger.reject(request == Request.CHECKPOINT ? null : version, taken.why());
                return !ledger.isFenced() && !request.leaves();
            }
        } catch (Copy.Ended e) {
            throw e;
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
    /** How a failure of the process is reported: FAILED, or RESTARTING when its restart policy starts it again. */
    private record Failure(ProcessState state, String reason) {}

    private Failure failure(String why) {
        int retries = ledger.current().retries();
        if (restart.restartsAfter(retries)) {
            return new Failure(ProcessState.RESTARTING, why + "; restart " + (retries + 1) + " of " + restart.attempts()
                    + " (" + restart + ")");
        }
        return new Failure(ProcessState.FAILED, retries == 0 ? why : why + "; after " + retries + " restarts ("
                + restart + ")");
    }

    private void report(Failure failure) throws InterruptedException {
        report(failure.state(), failure.reason());
    }

    private void report(ProcessState end, String reason) throws InterruptedException {
        // what it printed is stored before its end is: 'ferry logs' after 'ferry wait' shows all of it, and nothing
        // is written for a pid once it has ended (and may be forgotten)
        output.drain(host.suspendTimeout().toMillis());
        long backoff = 100;
        while (true) {
            try {
                ledger.transition(end, reason);
                return;
            } catch (org.apache.curator.framework.api.CuratorClosedException closed) {
                return; // the node has stopped: the leader finds the pid's node gone
            } catch (Exception e) {
                synchronized (lock) {
                    if (state.pending() == Request.DISCARD) {
                        return;
                    }
                }
                LOG.warn("{}: could not report {} yet: {}", pid, end, e.toString());
                Thread.sleep(backoff); // retry pause in production code, not a test wait
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /**
     * Hands every byte the process wrote to its files and forces them to disk, so that an end state once reported
     * never loses output; null when done, else what could not be written.
     */
    private String syncOutput() throws InterruptedException {
        String unwritten = copy.sync();
        if (unwritten != null) {
            LOG.warn("{}: {}", pid, unwritten);
        }
        return unwritten;
    }

    /** While paused, waits with the process stopped until unpaused or a request arrives. */
    private void awaitUnpausedOrRequest() throws InterruptedException {
        synchronized (lock) {
            if (state.paused() && state.pending() == null) {
                LOG.info("{}: paused", pid);
                moveTo(state.in(Phase.PAUSED));
                while (state.paused() && state.pending() == null) {
                    lock.wait();
                }
                moveTo(state.in(Phase.STOPPED));
                if (!state.paused()) {
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
    private void awaitSuspendCall() throws Exception {
        copy.awaitSuspendCall(host.suspendTimeout());
    }

    /**
     * Takes the pending request to carry it out, moving to {@code phase} first (unless null); the state before, or
     * null when the runner has ended meanwhile.
     */
    private State take(Phase phase) {
        synchronized (lock) {
            State was = state;
            if (was.phase().ended()) {
                return null;
            }
            moveTo((phase == null ? was : was.in(phase)).taken());
            return was;
        }
    }

    /**
     * The one place the state changes; called holding {@link #lock}.
     *
     * @throws IllegalStateException for a change of phase that is not allowed
     */
    private void moveTo(State next) {
        Phase from = state.phase();
        if (from != next.phase() && !from.canMoveTo(next.phase())) {
            throw new IllegalStateException(pid + ": a runner cannot go from " + from + " to " + next.phase());
        }
        state = next;
        lock.notifyAll();
    }

    @Override
    public String toString() {
        return pid + "@" + generation() + " " + phase();
    }
}
