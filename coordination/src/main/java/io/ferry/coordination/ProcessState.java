package io.ferry.coordination;

import java.util.EnumSet;
import java.util.Set;

/** The actual state of a process, as reported in {@code /status/{pid}}. */
public enum ProcessState {
    /** Accepted, waiting for a node with a free slot. */
    PENDING,
    /** Assigned to a node under a new generation; the node has not started it yet. */
    STARTING,
    RUNNING,
    /** Stopped with its state stored in a snapshot; holds no slot anywhere. */
    SUSPENDED,
    /** Its node died or was cut off; it will be placed again from its latest snapshot. */
    LOST,
    /**
     * It failed on its node, and its restart policy starts it again from its latest snapshot after a delay that
     * grows with each restart; holds no slot meanwhile.
     */
    RESTARTING,
    COMPLETED,
    FAILED,
    TERMINATED;

    /** Whether the process has finished: nothing starts it again but a restart by hand. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == TERMINATED;
    }

    /** Whether a node holds (or is about to hold) the process. */
    public boolean isOnNode() {
        return this == STARTING || this == RUNNING;
    }

    /** The states this one may move to. A state may always be rewritten as itself (e.g. a new checkpoint). */
    public Set<ProcessState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(STARTING, SUSPENDED, FAILED, TERMINATED);
            case STARTING -> EnumSet.of(RUNNING, SUSPENDED, COMPLETED, FAILED, TERMINATED, LOST, RESTARTING);
            case RUNNING -> EnumSet.of(SUSPENDED, COMPLETED, FAILED, TERMINATED, LOST, RESTARTING);
            case SUSPENDED -> EnumSet.of(STARTING, PENDING, FAILED, TERMINATED);
            case LOST, RESTARTING -> EnumSet.of(STARTING, PENDING, SUSPENDED, FAILED, TERMINATED);
            // finished, until restarted by hand ('ferry restart'): a COMPLETED process is done for good
            case FAILED, TERMINATED -> EnumSet.of(PENDING);
            case COMPLETED -> EnumSet.noneOf(ProcessState.class);
        };
    }

    /** @throws IllegalStateException naming both states when {@code to} may not follow this state */
    public ProcessState checkTransition(ProcessState to) {
        if (to != this && !next().contains(to)) {
            throw new IllegalStateException("Illegal transition " + this + " -> " + to);
        }
        return to;
    }
}
