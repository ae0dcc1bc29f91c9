package io.ferry.coordination;

import java.util.List;

/** A live node, the pids assigned to it, and its cordon (null: READY). */
public record NodeView(NodeInfo info, List<String> pids, Cordon cordon) {
    /** READY, CORDONED or DRAINING. */
    public String state() {
        return cordon == null ? "READY" : cordon.state().name();
    }

    /** Slots taken: assigned processes, and abandoned threads that still run there. */
    public int used() {
        return pids.size() + info.abandoned().size();
    }
}
