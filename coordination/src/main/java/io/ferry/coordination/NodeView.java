package io.ferry.coordination;

import java.util.List;

/** A live node and the pids assigned to it. */
public record NodeView(NodeInfo info, List<String> pids) {
    public int used() {
        return pids.size();
    }
}
