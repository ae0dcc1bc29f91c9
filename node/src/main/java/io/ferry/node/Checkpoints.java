package io.ferry.node;

import io.ferry.coordination.FerryException;
import io.ferry.coordination.FerryMetrics;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.SnapshotException;
import io.ferry.coordination.SnapshotStore;
import io.ferry.worker.Copy;

/**
 * Taking a copy's snapshot and restoring one, for one generation of a pid: the only way a runner's process goes
 * into the snapshot store or comes out of it, whatever its isolation.
 */
final class Checkpoints {
    /** How taking a snapshot went; {@code why} says what was refused. */
    record Taken(boolean stored, boolean fenced, String why) {
        static final Taken STORED = new Taken(true, false, null);
        static final Taken FENCED = new Taken(false, true, null);

        static Taken refused(String why) {
            return new Taken(false, false, why);
        }
    }

    private final String pid;
    private final String node;
    private final SnapshotStore store;
    private final StatusLedger ledger;

    Checkpoints(String pid, String node, SnapshotStore store, StatusLedger ledger) {
        this.pid = pid;
        this.node = node;
        this.store = store;
        this.ledger = ledger;
    }

    /**
     * The bytes of snapshot {@code seq}, the one the pid's status names, checked as stored: a pointer put back to
     * an older snapshot, even a genuine one, is refused (it would run work again that is already in the files).
     *
     * @throws FerryException when it is missing, not that one, or does not check out: the process cannot start
     */
    byte[] restore(SnapshotStore.Pointer pointer, long seq) throws Exception {
        try {
            SnapshotStore.Snapshot s = store.load(pid, pointer)
                    .orElseThrow(() -> new SnapshotException("No snapshot stored for " + pid));
            if (s.meta().seq() != seq) {
                throw new SnapshotException("The snapshot stored for " + pid + " is number " + s.meta().seq()
                        + ", but its status names " + seq + ": refused");
            }
            return s.bytes();
        } catch (SnapshotException e) {
            throw new FerryException(e.getMessage());
        }
    }

    /**
     * Serializes {@code copy} (stopped) and stores it with the status moved to {@code next}, in one transaction.
     * A state that cannot be serialized, or a snapshot over its limit, is refused and nothing is stored.
     *
     * @throws Copy.Ended when the copy is gone: not its state's fault
     * @throws Exception when ZooKeeper could not be reached: nothing was stored
     */
    Taken take(Copy copy, ProcessState next, String reason, long checkpoints) throws Exception {
        long started = System.nanoTime();
        Taken taken = store(copy, next, reason, checkpoints);
        String outcome = taken.stored() ? "stored" : taken.fenced() ? "fenced" : "refused";
        FerryMetrics.counter(FerryMetrics.CHECKPOINTS, "Snapshots taken, by outcome and the state they leave the"
                + " process in", "node", node, "outcome", outcome, "next", next.name()).increment();
        if (taken.stored()) {
            FerryMetrics.since(FerryMetrics.timer(FerryMetrics.CHECKPOINT_DURATION, "Serializing and storing a"
                    + " snapshot", "node", node, "next", next.name()), started);
            if (next != ProcessState.RUNNING) { // it stops here: a migration's, a suspend's or a drain's snapshot
                FerryMetrics.since(FerryMetrics.phase("snapshot"), started);
            }
        }
        return taken;
    }

    private Taken store(Copy copy, ProcessState next, String reason, long checkpoints) throws Exception {
        byte[] bytes;
        String className;
        try {
            bytes = copy.serialize();
            className = copy.className();
        } catch (Copy.Ended e) {
            throw e;
        } catch (Exception e) {
            return Taken.refused("cannot serialize " + pid + ": " + e);
        }
        FerryMetrics.bytes(FerryMetrics.SNAPSHOT_BYTES, "The size of each serialized process state", "node", node)
                .record(bytes.length);
        try {
            return ledger.storeSnapshot(bytes, className, next, reason, checkpoints) ? Taken.STORED : Taken.FENCED;
        } catch (SnapshotException e) {
            return Taken.refused(e.getMessage());
        }
    }
}
