package io.ferry.coordination;

/** What a client wants of a process. */
public enum DesiredState {
    RUNNING,
    SUSPENDED,
    TERMINATED,
    /** Removed, with its status, snapshots and logs, once it has ended ({@code ferry forget}). */
    FORGOTTEN
}
