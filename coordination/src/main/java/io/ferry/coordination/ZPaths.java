package io.ferry.coordination;

/**
 * Ferry's znode layout, relative to the client's namespace ({@code /ferry} by default). The one place that knows
 * a path; every other class asks here.
 *
 * <pre>
 * /nodes/{node}                 ephemeral: a live node ({@link NodeInfo})
 * /pids                         its version is the last pid number handed out
 * /processes/{bucket}/{pid}     desired state, written by clients ({@link ProcessRecord})
 * /assignments/{node}/{pid}     what a node must do with a pid, written by the leader ({@link Assignment})
 * /status/{bucket}/{pid}        actual state ({@link ProcessStatus}); its version fences stale writers
 * /logs/{bucket}/{pid}/l-{seq}  what the process printed, in chunks, oldest dropped past a cap
 * /snapshots/{bucket}/{pid}     current snapshot ({@link SnapshotMeta}); chunks under .../{pid}/s-{seq}-{gen}/c-{i}
 * /scheduler/leader             leader election
 * /scheduler/epoch              its version is the leader's epoch
 * /layout                       {"v": 2}: the layout below
 * </pre>
 *
 * <p>Pids are kept in buckets of {@link #BUCKET_PIDS} ({@code p-12345} in {@code b-12}), so no listing grows with
 * the number of processes: ZooKeeper sends a listing in one reply, and a folder of every pid would pass its packet
 * limit at about 100,000. Buckets are container znodes: the server removes one some time after its last child
 * went, so a writer that finds its bucket gone creates it again ({@link Buckets}).
 */
public final class ZPaths {
    public static final String NODES = "/nodes";
    public static final String PIDS = "/pids";
    public static final String PROCESSES = "/processes";
    public static final String ASSIGNMENTS = "/assignments";
    public static final String STATUS = "/status";
    public static final String SNAPSHOTS = "/snapshots";
    public static final String LOGS = "/logs";
    /** Nodes that take no new work ({@link CordonTable}). */
    public static final String CORDONS = "/cordons";
    /** Nodes the leader avoids after failed starts ({@link AvoidanceTable}). */
    public static final String AVOIDED = "/avoided";
    public static final String SCHEDULER = "/scheduler";
    public static final String LEADER = SCHEDULER + "/leader";
    public static final String EPOCH = SCHEDULER + "/epoch";
    /** Which layout of these paths the cluster was written in: {@link #LAYOUT_VERSION}. */
    public static final String LAYOUT = "/layout";
    /** The layout this code reads and writes. A cluster of another layout is refused, never misread. */
    public static final int LAYOUT_VERSION = 2;
    /** How many consecutive pids share a bucket. */
    public static final int BUCKET_PIDS = 1000;
    /** The pid-keyed roots, each split into buckets. */
    public static final java.util.List<String> BUCKETED = java.util.List.of(PROCESSES, STATUS, LOGS, SNAPSHOTS);

    /** The persistent roots that must exist before anyone watches or writes below them. */
    static final String[] ROOTS = {NODES, PIDS, PROCESSES, ASSIGNMENTS, STATUS, SNAPSHOTS, LOGS, SCHEDULER, EPOCH,
        CORDONS, AVOIDED};

    private ZPaths() {}

    public static String cordon(String node) {
        return CORDONS + "/" + node;
    }

    public static String avoided(String node) {
        return AVOIDED + "/" + Names.checkNode(node);
    }

    public static String node(String node) {
        return NODES + "/" + Names.checkNode(node);
    }

    /** The bucket of {@code pid} under one of the {@link #BUCKETED} roots: {@code bucket("/status", "p-1234")}. */
    public static String bucket(String root, String pid) {
        return root + "/b-" + Names.number(pid) / BUCKET_PIDS;
    }

    /** Where {@code pid} lives under a bucketed root. */
    private static String inBucket(String root, String pid) {
        return bucket(root, pid) + "/" + pid;
    }

    /**
     * The pid whose own znode {@code path} is under a bucketed {@code root} ({@code /status/b-1/p-1234} gives
     * {@code p-1234}); null for a bucket or anything deeper.
     */
    public static String pidOf(String root, String path) {
        int bucketEnd = path.indexOf('/', root.length() + 1);
        if (!path.startsWith(root + "/b-") || bucketEnd < 0 || path.indexOf('/', bucketEnd + 1) >= 0) {
            return null;
        }
        String pid = path.substring(bucketEnd + 1);
        return Names.isPid(pid) ? pid : null;
    }

    public static String process(String pid) {
        return inBucket(PROCESSES, pid);
    }

    public static String assignments(String node) {
        return ASSIGNMENTS + "/" + Names.checkNode(node);
    }

    public static String assignment(String node, String pid) {
        return assignments(node) + "/" + Names.checkPid(pid);
    }

    public static String status(String pid) {
        return inBucket(STATUS, pid);
    }

    public static String logs(String pid) {
        return inBucket(LOGS, pid);
    }

    public static String snapshot(String pid) {
        return inBucket(SNAPSHOTS, pid);
    }

    public static String snapshotChunks(String pid, long seq) {
        return snapshot(pid) + "/s-" + seq;
    }

    /** The last segment of a path: the node of {@code /nodes/node-1}, the pid of {@code /assignments/n/p-3}. */
    public static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
