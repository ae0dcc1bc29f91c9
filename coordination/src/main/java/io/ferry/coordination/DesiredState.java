package io.ferry.coordination;

/** What a client wants of a process. */
public enum DesiredState {
    RUNNING,
    SUSPENDED,
    TERMINATED
}
