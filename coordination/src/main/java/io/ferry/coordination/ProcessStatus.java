package io.ferry.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The content of {@code /status/{pid}}: where the process is and what it is doing. Written by the node that owns
 * the current generation, and by the leader when it moves the pid to a new generation (which is what fences the
 * previous owner: every write is a compare-and-set on this znode's version).
 *
 * @param session the ZooKeeper session of the node that owns the generation
 * @param snapshot sequence of the latest stored snapshot, or null when none was taken yet
 * @param checkpointAt when the latest snapshot was stored (epoch millis), or null
 * @param checkpoints on-demand checkpoints taken so far (compare with {@link Desired#checkpoint()})
 * @param error why the last request failed or why the process failed, or null
 * @param rejectedVersion the version of {@code /processes/{pid}} whose request the node could not carry out
 * @param history the latest transitions, oldest first, at most {@link #HISTORY}
 * @param retries automatic restarts (its {@link RestartPolicy}) since it was launched or last restarted by hand
 * @param restarts restarts by hand made so far (compare with {@link Desired#restart()})
 */
public record ProcessStatus(int v, String pid, ProcessState state, String node, String session, long generation,
        Long snapshot, Long checkpointAt, long checkpoints, String error, Integer rejectedVersion, long updatedAt,
        List<Transition> history, int retries, long restarts) {
    public static final int FORMAT = 1;
    public static final int HISTORY = 32;

    public ProcessStatus {
        Names.checkPid(pid);
        Objects.requireNonNull(state, "state");
        history = history == null ? List.of() : List.copyOf(history);
        error = Limits.cut(error);
    }

    /** The status of a process that was just accepted. */
    public static ProcessStatus pending(String pid, long now, String reason) {
        return new ProcessStatus(FORMAT, pid, ProcessState.PENDING, null, null, 0, null, null, 0, null, null, now,
                List.of(new Transition(ProcessState.PENDING, null, 0, now, reason)), 0, 0);
    }

    /**
     * This status moved to {@code state}, recording the transition in the history when the state, node or
     * generation changed; clears any earlier error and rejection.
     *
     * @throws IllegalStateException when the transition is not allowed
     */
    public ProcessStatus moveTo(ProcessState state, String node, String session, long generation, String reason,
            long now) {
        this.state.checkTransition(state);
        List<Transition> h = history;
        if (state != this.state || generation != this.generation || !Objects.equals(node, this.node)) {
            h = new ArrayList<>(history);
            h.add(new Transition(state, node, generation, now, reason));
            if (h.size() > HISTORY) {
                h = h.subList(h.size() - HISTORY, h.size());
            }
        }
        return new ProcessStatus(v, pid, state, node, session, generation, snapshot, checkpointAt, checkpoints,
                state == ProcessState.FAILED || state == ProcessState.RESTARTING ? reason : null, null, now, h,
                retries, restarts);
    }

    /** This status moved to RESTARTING by its node: it failed there, and its restart policy starts it again. */
    public ProcessStatus restarting(String node, String session, long generation, String reason, long now) {
        ProcessStatus s = moveTo(ProcessState.RESTARTING, node, session, generation, reason, now);
        return new ProcessStatus(v, pid, s.state, node, session, generation, snapshot, checkpointAt, checkpoints,
                s.error, null, now, s.history, retries + 1, restarts);
    }

    /**
     * This finished status made PENDING again by restart {@code request} by hand, from its latest snapshot or
     * ({@code fresh}) from its arguments; its automatic restarts count from zero again.
     */
    public ProcessStatus restartedByHand(long request, boolean fresh, String reason, long now) {
        ProcessStatus s = moveTo(ProcessState.PENDING, null, null, generation, reason, now);
        return new ProcessStatus(v, pid, s.state, null, null, generation, fresh ? null : snapshot,
                fresh ? null : checkpointAt, checkpoints, null, null, now, s.history, 0, request);
    }

    /** This status with a new snapshot recorded. */
    public ProcessStatus withSnapshot(long seq, long at, long checkpoints) {
        return new ProcessStatus(v, pid, state, node, session, generation, seq, at, checkpoints, error,
                rejectedVersion, at, history, retries, restarts);
    }

    /** This status saying that the request of {@code desiredVersion} could not be carried out, and why. */
    public ProcessStatus rejecting(int desiredVersion, String why, long now) {
        return new ProcessStatus(v, pid, state, node, session, generation, snapshot, checkpointAt, checkpoints, why,
                desiredVersion, now, history, retries, restarts);
    }

    /** The transition that brought the process to its current state, if recorded. */
    public long since() {
        return history.isEmpty() ? updatedAt : history.get(history.size() - 1).at();
    }
}
