package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Zk;
import org.apache.curator.framework.CuratorFramework;

/** A ZooKeeper session and the {@link FerryClient} over it: what a client verb works through. */
final class Connection implements AutoCloseable {
    /** Whether this JVM has connected: the class-data archive is trained only by a command that did. */
    private static volatile boolean opened;

    private final CuratorFramework curator;
    private final FerryClient client;
    private final boolean owned;
    private final java.time.Duration timeout;

    private Connection(CuratorFramework curator, FerryClient client, boolean owned, java.time.Duration timeout) {
        this.curator = curator;
        this.client = client;
        this.owned = owned;
        this.timeout = timeout;
    }

    /**
     * Connects, waiting at most the connection timeout of {@code settings}.
     *
     * @throws io.ferry.coordination.FerryException naming the connect string when ZooKeeper cannot be reached
     */
    static Connection open(FerrySettings settings) {
        CuratorFramework curator = Zk.connect(settings, settings.connectionTimeout());
        opened = true;
        return new Connection(curator, new FerryClient(curator, settings), true, settings.connectionTimeout());
    }

    static boolean opened() {
        return opened;
    }

    /** This connection for one verb of a shell: closing it leaves the session open. */
    Connection borrowed() {
        return new Connection(curator, client, false, timeout);
    }

    FerryClient client() {
        return client;
    }

    CuratorFramework curator() {
        return curator;
    }

    @Override
    public void close() {
        if (owned) {
            Zk.closeSoon(curator, timeout); // the command ends once its session has, not 100 ms later
        }
    }
}
