package io.ferry.coordination;

/**
 * A process as a client sees it: what was asked ({@link ProcessRecord}) and what is ({@link ProcessStatus}, null
 * until the scheduler first looks at it).
 */
public record ProcessView(ProcessRecord record, int recordVersion, ProcessStatus status) {
    public String pid() {
        return record.pid();
    }

    /** The actual state, PENDING until the scheduler has written one. */
    public ProcessState state() {
        return status == null ? ProcessState.PENDING : status.state();
    }

    public String node() {
        return status == null ? null : status.node();
    }

    public long generation() {
        return status == null ? 0 : status.generation();
    }
}
