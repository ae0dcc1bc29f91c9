package io.ferry.coordination;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds and starts Ferry's Curator clients: the one place that turns settings into a connection. */
public final class Zk {
    private static final Logger LOG = LoggerFactory.getLogger(Zk.class);

    private Zk() {}

    /**
     * How large a reply this client takes. ZooKeeper's server refuses requests over about 1 MiB, but a znode written
     * just under that comes back in a reply slightly over it, and Ferry reads many znodes in one request
     * ({@link MultiRead#BATCH}); a client that cannot take a reply drops its connection and retries forever. Taking
     * this much, every reply fits, whoever wrote the znodes, and Ferry's own size checks then turn an oversized
     * record into a clear FAILED. A client only allocates what a reply holds.
     */
    static final int MAX_REPLY_BYTES = (MultiRead.BATCH + 8) << 20;

    /** A started client, not yet connected. */
    public static CuratorFramework newClient(FerrySettings settings) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.JUTE_MAXBUFFER, String.valueOf(MAX_REPLY_BYTES));
        ZkAuth auth = ZkAuth.from(settings);
        ZkTls tls = ZkTls.from(settings);
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
        if (auth != null) {
            auth.applyTo(config);
        }
        if (tls != null) {
            tls.applyTo(config);
        }
        boolean secured = auth != null || tls != null;
        if (secured) {
            builder.aclProvider(Acls.from(settings)); // an authenticated part creates every znode with its ACL
        }
        CuratorFramework client = builder
                .zkClientConfig(config)
                .connectString(settings.connectString())
                .namespace(settings.namespace())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) settings.connectionTimeout().toMillis())
                .retryPolicy(new ExponentialBackoffRetry(100, settings.retries(), 2_000))
                .build();
        if (secured) {
            SECURED.add(client);
        }
        if (FerryMetrics.published()) {
            ZkMeters.watch(client);
        }
        client.start();
        return client;
    }

    /**
     * A started client that is connected and sees Ferry's layout.
     *
     * @throws FerryException naming the connect string when ZooKeeper cannot be reached within {@code wait}
     */
    public static CuratorFramework connect(FerrySettings settings, Duration wait) {
        return connect(settings, wait, true);
    }

    /** A started, connected client that has not looked at the layout: for {@link Layout#upgrade}. */
    public static CuratorFramework connectAnyLayout(FerrySettings settings, Duration wait) {
        return connect(settings, wait, false);
    }

    private static CuratorFramework connect(FerrySettings settings, Duration wait, boolean checkLayout) {
        CuratorFramework client = newClient(settings);
        try {
            if (!client.blockUntilConnected((int) wait.toMillis(), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new FerryException(unreachable(settings, wait));
            }
            if (checkLayout) {
                try {
                    ensureLayout(client);
                } catch (FerryException e) {
                    throw notAuthorized(settings, e);
                }
            }
            LOG.debug("Connected to {} as session {}", settings.connectString(), sessionId(client));
            return client;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new FerryException("Interrupted while connecting to ZooKeeper");
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Why a client could not connect, as far as one can tell from outside. */
    private static String unreachable(FerrySettings settings, Duration wait) {
        String cannot = "Cannot reach ZooKeeper at " + settings.connectString() + " within " + Durations.format(wait);
        if (ZkTls.from(settings) != null) {
            return cannot + " over TLS (is it running, with TLS? Its certificate must come from the authority in "
                    + ZkTls.CA_FILE + " and name the host you connect to, and it must trust yours)";
        }
        if (ZkTls.spokenAt(settings.connectString())) {
            return "ZooKeeper at " + settings.connectString() + " takes TLS connections only: run with the"
                    + " properties file 'ferry secure init' wrote for your role (FERRY_CONF=DIR/client.properties)";
        }
        return cannot + " (is it running? set --zk or FERRY_ZK)";
    }

    /** The clients {@link #newClient} made secured (Curator does not say which ACL provider a client has). */
    private static final java.util.Set<CuratorFramework> SECURED =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    /** Whether {@code client} authenticates and creates znodes with Ferry's ACLs. */
    public static boolean isSecured(CuratorFramework client) {
        return SECURED.contains(client);
    }

    /** {@code e}, or the one line that says this client may not read the cluster and what to use instead. */
    private static FerryException notAuthorized(FerrySettings settings, FerryException e) {
        ZkAuth.Who who = ZkAuth.who(settings);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (who != null && t instanceof KeeperException.AuthFailedException) {
                return new FerryException("ZooKeeper at " + settings.connectString() + " refused user '" + who.user()
                        + (who.setting().equals(ZkAuth.USER) ? "': wrong password? (" + ZkAuth.PASSWORD_FILE + " "
                                + settings.get(ZkAuth.PASSWORD_FILE, "") : "': its certificate (" + ZkTls.KEY_FILE)
                        + "; the server must hold the same set, 'ferry zk --secure DIR')", e);
            }
            if (who != null && t instanceof KeeperException.NoAuthException) {
                return new FerryException("User '" + who.user() + "' may not do this at ZooKeeper at "
                        + settings.connectString() + " (" + t.getMessage() + "); is it in the ferry.security.* role"
                        + " lists every part uses?", e);
            }
            if (t instanceof KeeperException.NoAuthException
                    || t instanceof KeeperException.SessionClosedRequireAuthException
                    || t instanceof KeeperException.AuthFailedException) {
                return new FerryException("Not authorized by ZooKeeper at " + settings.connectString() + ": the"
                        + " cluster is secured; run with the properties file 'ferry secure init' wrote for your role"
                        + " (FERRY_CONF=DIR/client.properties)", e);
            }
        }
        return e;
    }

    /**
     * Checks that the cluster was written in this code's layout ({@link Layout}), and creates Ferry's persistent
     * roots if they are missing.
     *
     * @throws FerryException naming both layouts when the cluster's is another
     */
    public static void ensureLayout(CuratorFramework client) {
        Layout.check(client);
        // what exists, in two reads rather than one per root: every client command connects this way
        java.util.Set<String> present = new java.util.HashSet<>();
        try {
            for (String child : client.getChildren().forPath("/")) {
                present.add("/" + child);
            }
            if (present.contains(ZPaths.SCHEDULER)) {
                for (String child : client.getChildren().forPath(ZPaths.SCHEDULER)) {
                    present.add(ZPaths.SCHEDULER + "/" + child);
                }
            }
        } catch (Exception e) {
            throw new FerryException("Cannot read Ferry's roots in ZooKeeper: " + e.getMessage(), e);
        }
        for (String root : ZPaths.ROOTS) {
            try {
                if (!present.contains(root)) {
                    client.create().creatingParentsIfNeeded().forPath(root, new byte[0]);
                }
            } catch (KeeperException.NodeExistsException raced) {
                // another process created it first
            } catch (Exception e) {
                throw new FerryException("Cannot create " + root + " in ZooKeeper: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Closes {@code client} and returns once its session has ended at the server (or after {@code wait}), not when
     * the client's threads have: ZooKeeper's NIO socket sleeps 100 ms in its clean-up after the session is over,
     * which a short command would otherwise spend doing nothing. The rest of the close goes on in the background.
     */
    public static void closeSoon(CuratorFramework client, Duration wait) {
        org.apache.zookeeper.ZooKeeper zk;
        try {
            zk = client.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            client.close();
            return;
        }
        Thread closer = new Thread(client::close, "ferry-zk-close");
        closer.setDaemon(true);
        closer.start();
        long deadline = System.nanoTime() + wait.toNanos();
        while (zk.getState().isAlive() && closer.isAlive() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a round trip's time, here
        }
    }

    /** The client's current session id, in hex, as stored in {@link NodeInfo#session()}. */
    public static String sessionId(CuratorFramework client) {
        try {
            return Long.toHexString(client.getZookeeperClient().getZooKeeper().getSessionId());
        } catch (Exception e) {
            throw new FerryException("No ZooKeeper session: " + e.getMessage(), e);
        }
    }
}
