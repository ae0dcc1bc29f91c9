package io.ferry.cli;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Zk;
import io.ferry.web.Dashboard;
import org.apache.curator.framework.CuratorFramework;

/** The dashboard of a local cluster, on a session of its own with the client's credentials. */
record LocalDashboard(Dashboard dashboard, CuratorFramework curator) implements AutoCloseable {
    /** Starts it on {@code port}, or on any free port when that one is taken. */
    static LocalDashboard start(LocalCluster cluster, String bind, int port) {
        FerrySettings settings = cluster.settings();
        CuratorFramework curator = Zk.connect(settings, settings.connectionTimeout());
        try {
            return new LocalDashboard(Dashboard.startNear(curator, settings, bind, port, null), curator);
        } catch (RuntimeException e) {
            curator.close();
            throw e;
        }
    }

    String url() {
        return dashboard.url();
    }

    @Override
    public void close() {
        dashboard.close();
        curator.close();
    }
}
