package io.ferry.coordination;

import java.util.List;

/** A live node and the pids assigned to it. */
public record NodeView(NodeInfo info, List<String> pids) {
    /** Slots taken: assigned processes, and abandoned threads that still run there. */
    public int used() {
        return pids.size() + info.abandoned().size();
    }
}
