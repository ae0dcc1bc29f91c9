package io.ferry.node;

import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.SnapshotStore;
import io.ferry.coordination.StatusTable;
import io.ferry.coordination.Versioned;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's view of its pid's {@code /status}: the last status it wrote and that znode's version. Every write is
 * a compare-and-set on that version, so once the leader has moved the pid to a new generation (or marked it LOST)
 * this ledger is fenced and writes nothing more.
 */
final class StatusLedger {
    private static final Logger LOG = LoggerFactory.getLogger(StatusLedger.class);

    private final StatusTable table;
    private final SnapshotStore snapshots;
    private final String pid;
    private final String node;
    private final String session;
    private final long generation;

    private ProcessStatus status;
    private int version = -1;
    private boolean fenced;
    /** The snapshot pointer as this generation last saw or set it; null when it must be read. */
    private SnapshotStore.Pointer pointer;

    StatusLedger(StatusTable table, SnapshotStore snapshots, String pid, String node, String session, long generation) {
        this.table = table;
        this.snapshots = snapshots;
        this.pid = pid;
        this.node = node;
        this.session = session;
        this.generation = generation;
    }

    /** Reads the status and checks that this node owns the generation. */
    synchronized boolean claim() throws Exception {
        return reread();
    }

    /**
     * Checks, from a status and snapshot pointer just read, that this node owns the generation.
     *
     * @param read the status as read (null when there is none)
     */
    synchronized boolean claim(Versioned<ProcessStatus> read, SnapshotStore.Pointer snapshot) {
        this.pointer = snapshot;
        return own(read);
    }

    synchronized boolean isFenced() {
        return fenced;
    }

    synchronized ProcessStatus current() {
        return status;
    }

    /** Moves to {@code state} (RESTARTING counts one more automatic restart); false when fenced. */
    synchronized boolean transition(ProcessState state, String reason) throws Exception {
        long now = System.currentTimeMillis();
        return commit(s -> state == ProcessState.RESTARTING ? s.restarting(node, session, generation, reason, now)
                : s.moveTo(state, node, session, generation, reason, now));
    }

    /** Records that the request of {@code desiredVersion} (null for the node's own work) could not be done. */
    synchronized boolean reject(Integer desiredVersion, String why) throws Exception {
        return commit(s -> s.rejecting(desiredVersion == null ? -1 : desiredVersion, why, System.currentTimeMillis()));
    }

    /**
     * Stores a snapshot and, in the same transaction, the status moved to {@code state}; false when fenced, in
     * which case nothing was stored.
     */
    synchronized boolean storeSnapshot(byte[] bytes, String className, ProcessState state, String reason,
            long checkpoints) throws Exception {
        for (int attempt = 0; attempt < 3 && !fenced; attempt++) {
            long now = System.currentTimeMillis();
            ProcessStatus moved = status.moveTo(state, node, session, generation, reason, now);
            ProcessStatus[] next = new ProcessStatus[1];
            try {
                SnapshotStore.Stored stored = snapshots.store(pid, generation, className, node, bytes, pointer,
                        meta -> {
                            next[0] = moved.withSnapshot(meta.seq(), now, checkpoints);
                            return List.of(table.update(next[0], version));
                        });
                version = stored.results().get(0).getResultStat().getVersion();
                status = next[0];
                pointer = stored.pointer();
                return true;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException
                    | KeeperException.NodeExistsException e) {
                pointer = null; // perhaps it was the pointer that was stale: read it with the status
                if (!reread()) {
                    return false;
                }
            }
        }
        return failed("store a snapshot");
    }

    private boolean failed(String what) {
        if (fenced) {
            return false;
        }
        throw new IllegalStateException("Could not " + what + " for " + pid + ": the status keeps changing");
    }

    private boolean commit(UnaryOperator<ProcessStatus> change) throws Exception {
        for (int attempt = 0; attempt < 3 && !fenced; attempt++) {
            ProcessStatus next = change.apply(status);
            try {
                version = table.write(next, version);
                status = next;
                return true;
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                if (!reread()) {
                    return false;
                }
            }
        }
        return failed("write the status");
    }

    /** Re-reads the status; still the owner if the leader has not moved the pid on meanwhile. */
    private boolean reread() throws Exception {
        return own(table.read(pid));
    }

    private boolean own(Versioned<ProcessStatus> v) {
        ProcessStatus s = v == null ? null : v.value();
        boolean owner = s != null && s.generation() == generation && node.equals(s.node())
                && session.equals(s.session()) && s.state().isOnNode();
        if (!owner) {
            fenced = true;
            String now = s == null ? "no status" : s.state() + " generation " + s.generation() + " on " + s.node();
            if (status != null) {
                LOG.info("{} generation {}: fenced, the leader has moved it on ({})", pid, generation, now);
            } else {
                LOG.debug("{} generation {}: not this node's to run ({})", pid, generation, now);
            }
            return false;
        }
        status = s;
        version = v.version();
        return true;
    }
}
