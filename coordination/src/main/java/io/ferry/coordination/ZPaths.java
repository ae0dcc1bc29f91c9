package io.ferry.coordination;

/**
 * Ferry's znode layout, relative to the client's namespace ({@code /ferry} by default). The one place that knows
 * a path; every other class asks here.
 *
 * <pre>
 * /nodes/{node}                 ephemeral: a live node ({@link NodeInfo})
 * /pids                         its version is the last pid number handed out
 * /processes/{pid}              desired state, written by clients ({@link ProcessRecord})
 * /assignments/{node}/{pid}     what a node must do with a pid, written by the leader ({@link Assignment})
 * /status/{pid}                 actual state ({@link ProcessStatus}); its version fences stale writers
 * /logs/{pid}/l-{seq}           what the process printed, in chunks, oldest dropped past a cap
 * /snapshots/{pid}              current snapshot ({@link SnapshotMeta}); chunks under /snapshots/{pid}/s-{seq}-{gen}/c-{i}
 * /scheduler/leader             leader election
 * /scheduler/epoch              its version is the leader's epoch
 * </pre>
 */
public final class ZPaths {
    public static final String NODES = "/nodes";
    public static final String PIDS = "/pids";
    public static final String PROCESSES = "/processes";
    public static final String ASSIGNMENTS = "/assignments";
    public static final String STATUS = "/status";
    public static final String SNAPSHOTS = "/snapshots";
    public static final String LOGS = "/logs";
    public static final String SCHEDULER = "/scheduler";
    public static final String LEADER = SCHEDULER + "/leader";
    public static final String EPOCH = SCHEDULER + "/epoch";
    /** Which layout of these paths the cluster was written in: {@link #LAYOUT_VERSION}. */
    public static final String LAYOUT = "/layout";
    /** The layout this code reads and writes. A cluster of another layout is refused, never misread. */
    public static final int LAYOUT_VERSION = 1;

    /** The persistent roots that must exist before anyone watches or writes below them. */
    static final String[] ROOTS = {NODES, PIDS, PROCESSES, ASSIGNMENTS, STATUS, SNAPSHOTS, LOGS, SCHEDULER, EPOCH};

    private ZPaths() {}

    public static String node(String node) {
        return NODES + "/" + Names.checkNode(node);
    }

    public static String process(String pid) {
        return PROCESSES + "/" + Names.checkPid(pid);
    }

    public static String assignments(String node) {
        return ASSIGNMENTS + "/" + Names.checkNode(node);
    }

    public static String assignment(String node, String pid) {
        return assignments(node) + "/" + Names.checkPid(pid);
    }

    public static String status(String pid) {
        return STATUS + "/" + Names.checkPid(pid);
    }

    public static String logs(String pid) {
        return LOGS + "/" + Names.checkPid(pid);
    }

    public static String snapshot(String pid) {
        return SNAPSHOTS + "/" + Names.checkPid(pid);
    }

    public static String snapshotChunks(String pid, long seq) {
        return snapshot(pid) + "/s-" + seq;
    }

    /** The last segment of a path: the pid of {@code /status/p-3}, the node of {@code /nodes/node-1}. */
    public static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The {@code depth}-th segment of a path, counting from 1: {@code segment("/assignments/n/p", 2) = "n"}. */
    public static String segment(String path, int depth) {
        String[] parts = path.split("/");
        return depth < parts.length ? parts[depth] : null;
    }
}
