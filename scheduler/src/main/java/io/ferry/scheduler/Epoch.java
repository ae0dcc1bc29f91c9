package io.ferry.scheduler;

import io.ferry.coordination.Json;
import io.ferry.coordination.ZPaths;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * A leader's epoch: the version of {@code /scheduler/epoch} after the leader bumped it on taking over. Every
 * leader write is a transaction that first checks that version, so a deposed leader (one that lost its session
 * during a long pause, say) cannot write anything: the first check fails and the whole transaction with it.
 */
final class Epoch {
    /** What the epoch znode holds, for people reading it with zkCli. */
    record Holder(String leader, int epoch, long since) {}

    private final CuratorFramework client;
    private final int version;

    private Epoch(CuratorFramework client, int version) {
        this.client = client;
        this.version = version;
    }

    /** Bumps the epoch for {@code leader}; from now on only its writes pass the check. */
    static Epoch take(CuratorFramework client, String leader) throws Exception {
        while (true) {
            Stat stat = new Stat();
            client.getData().storingStatIn(stat).forPath(ZPaths.EPOCH);
            try {
                Stat after = client.setData().withVersion(stat.getVersion()).forPath(ZPaths.EPOCH,
                        Json.write(new Holder(leader, stat.getVersion() + 1, System.currentTimeMillis())));
                return new Epoch(client, after.getVersion());
            } catch (KeeperException.BadVersionException raced) {
                // another scheduler bumped it at the same moment; read again
            }
        }
    }

    int value() {
        return version;
    }

    /**
     * Commits {@code ops} if this epoch is still current.
     *
     * @return the results of {@code ops} (without the check)
     * @throws DeposedException when another leader has taken over
     * @throws KeeperException when one of {@code ops} fails (stale view): nothing was written
     */
    List<CuratorTransactionResult> commit(List<CuratorOp> ops) throws Exception {
        List<CuratorOp> all = new ArrayList<>(ops.size() + 1);
        all.add(client.transactionOp().check().withVersion(version).forPath(ZPaths.EPOCH));
        all.addAll(ops);
        try {
            List<CuratorTransactionResult> results = client.transaction().forOperations(all);
            return results.subList(1, results.size());
        } catch (KeeperException e) {
            List<OpResult> results = e.getResults();
            if (results != null && !results.isEmpty() && results.get(0) instanceof OpResult.ErrorResult err
                    && err.getErr() != KeeperException.Code.OK.intValue()
                    && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                throw new DeposedException(version);
            }
            throw e;
        }
    }

    /** This scheduler is no longer the leader: its epoch was superseded. */
    static final class DeposedException extends Exception {
        DeposedException(int epoch) {
            super("Epoch " + epoch + " was superseded by a newer leader");
        }
    }
}
