package io.ferry.coordination;

import java.util.List;

/**
 * A live node, the pids assigned to it, its cordon (null: READY), and the leader's avoidance of it after failed
 * starts (null: none, or it has ended).
 */
public record NodeView(NodeInfo info, List<String> pids, Cordon cordon, Avoidance avoided) {
    /** READY, CORDONED, DRAINING, or AVOIDED (ready, but given work only when no other node has room). */
    public String state() {
        return cordon != null ? cordon.state().name() : avoided != null ? "AVOIDED" : "READY";
    }

    /** Slots taken: assigned processes, and abandoned threads that still run there. */
    public int used() {
        return pids.size() + info.abandoned().size();
    }
}
