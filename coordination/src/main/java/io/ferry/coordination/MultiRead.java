package io.ferry.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.curator.RetryLoop;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;

/**
 * Several znodes read in one request (ZooKeeper's read-only {@code multi}), so an actor that needs a status, a
 * record and a snapshot pointer to make one decision pays one round trip, not three. Each table adds the reads of
 * its own subtree ({@link ZTable#readIn}, {@link SnapshotStore#pointer(MultiRead, String)}); {@link #execute} sends them all.
 * The reads are not a consistent cut, just as three separate reads would not be: every write made from them is
 * still a compare-and-set.
 */
public final class MultiRead {
    /**
     * Most reads in one request. A reply must fit in what a client takes ({@link Zk#MAX_REPLY_BYTES}), and the
     * server stores znodes of up to about 1 MiB, whoever wrote them.
     */
    static final int BATCH = 32;

    private final CuratorFramework client;
    private final List<Op> ops = new ArrayList<>();
    private final List<Slot<?>> slots = new ArrayList<>();

    public MultiRead(CuratorFramework client) {
        this.client = client;
    }

    /** The outcome of one read, available after {@link #execute}. */
    public static final class Slot<T> {
        private final String path;
        private final Function<Raw, T> decode;
        private T value;
        private boolean done;

        private Slot(String path, Function<Raw, T> decode) {
            this.path = path;
            this.decode = decode;
        }

        /** The decoded value; what {@code decode} made of a missing znode (its argument is then null). */
        public T get() {
            if (!done) {
                throw new IllegalStateException("Read of " + path + " not executed yet");
            }
            return value;
        }
    }

    /** A znode's bytes and version as read. */
    record Raw(byte[] data, int version) {}

    /** Adds a read of {@code path}; {@code decode} gets null when the znode does not exist. */
    <T> Slot<T> add(String path, Function<Raw, T> decode) {
        Slot<T> slot = new Slot<>(path, decode);
        ops.addAll(getDataOps(client, List.of(path)));
        slots.add(slot);
        return slot;
    }

    /** Sends every read added so far in one request, retrying as Curator does while the connection is down. */
    public void execute() throws Exception {
        List<OpResult> results = RetryLoop.callWithRetry(client.getZookeeperClient(),
                () -> client.getZookeeperClient().getZooKeeper().multi(ops));
        for (int i = 0; i < slots.size(); i++) {
            fill(slots.get(i), results.get(i));
        }
    }

    private static <T> void fill(Slot<T> slot, OpResult result) throws KeeperException {
        slot.value = slot.decode.apply(raw(slot.path, result));
        slot.done = true;
    }

    /** The bytes and version one read of {@code path} returned; null when there was no such znode. */
    static Raw raw(String path, OpResult result) throws KeeperException {
        if (result instanceof OpResult.GetDataResult r) {
            return new Raw(r.getData(), r.getStat().getVersion());
        }
        int err = ((OpResult.ErrorResult) result).getErr();
        if (err != KeeperException.Code.NONODE.intValue()) {
            throw KeeperException.create(KeeperException.Code.get(err), path);
        }
        return null;
    }

    /** Reads of {@code paths}, for a {@code multi} request sent by hand. */
    static List<Op> getDataOps(CuratorFramework client, List<String> paths) {
        List<Op> out = new ArrayList<>(paths.size());
        for (String path : paths) {
            out.add(Op.getData(ZKPaths.fixForNamespace(client.getNamespace(), path)));
        }
        return out;
    }
}
