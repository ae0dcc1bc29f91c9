package io.ferry.coordination;

import java.util.Objects;

/**
 * The content of {@code /assignments/{node}/{pid}}: what the leader wants that node to do. Written by the leader
 * only, in transactions fenced by its epoch.
 *
 * @param session the node registration (ZooKeeper session) this is meant for; another incarnation ignores it
 * @param generation the incarnation of the pid; bumped each time the pid is placed on a node
 * @param snapshot the snapshot sequence to start from, or null to construct the process from its args
 * @param desiredVersion the version of {@code /processes/{pid}} this step serves; echoed in rejections
 * @param checkpoint on-demand checkpoints requested so far
 */
public record Assignment(int v, String pid, String node, String session, Action action, long generation,
        Long snapshot, int desiredVersion, long checkpoint, long epoch) {
    public static final int FORMAT = 1;

    public Assignment {
        Names.checkPid(pid);
        Names.checkNode(node);
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(action, "action");
    }

    public Assignment with(Action action, int desiredVersion, long checkpoint, long epoch) {
        return new Assignment(v, pid, node, session, action, generation, snapshot, desiredVersion, checkpoint, epoch);
    }
}
