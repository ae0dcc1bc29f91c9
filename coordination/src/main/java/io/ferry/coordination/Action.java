package io.ferry.coordination;

/** What the leader tells a node to do with a pid. */
public enum Action {
    /** Start the pid (from its args, or from the snapshot named in the assignment) and keep it running. */
    RUN,
    /** Suspend it, store a snapshot, report SUSPENDED and drop it. */
    SUSPEND,
    /** Stop it for good without a snapshot and report TERMINATED. */
    TERMINATE
}
