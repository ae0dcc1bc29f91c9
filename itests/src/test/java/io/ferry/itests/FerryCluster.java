package io.ferry.itests;

import io.ferry.coordination.Ensembles;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Zk;
import io.ferry.node.NodeAgent;
import io.ferry.node.NodeConfig;
import io.ferry.scheduler.Scheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;

/**
 * A whole Ferry cluster in one JVM for tests: a real ZooKeeper server (curator-test), schedulers and nodes, each
 * with its own Curator client (its own session), all sharing one working directory as a shared filesystem would.
 */
final class FerryCluster implements AutoCloseable {
    static final Duration SESSION = Duration.ofSeconds(4);
    static final Duration WAIT = Duration.ofSeconds(30);

    static {
        // A ZooKeeper server that cannot start (its port still held by the one just killed) calls System.exit,
        // which would end this JVM and every test in it: here it only logs, and restartServer tries again.
        org.apache.zookeeper.util.ServiceUtils.setSystemExitProcedure(org.apache.zookeeper.util.ServiceUtils.LOG_ONLY);
    }

    /** The standalone server, or null when running on an ensemble. */
    final TestingServer zk;
    /** The 3-server ensemble, or null when running on a standalone server. */
    final TestingCluster ensemble;
    final Path workdir;
    /** What every part added from now on is configured with. */
    FerrySettings settings;
    final FerryClient client;
    private final CuratorFramework clientCurator;
    final Map<String, Member<NodeAgent>> nodes = new LinkedHashMap<>();
    final List<Member<Scheduler>> schedulers = new ArrayList<>();
    private Duration checkpointEvery = Duration.ZERO;
    private Duration suspendTimeout = Duration.ofSeconds(5);
    private Duration nodeResync = Duration.ofSeconds(2);
    private Duration schedulerResync = Duration.ofSeconds(2);

    /** A cluster part and the Curator client (session) it owns. */
    record Member<T extends AutoCloseable>(T part, CuratorFramework curator) {}

    /** The credentials of a secured cluster (each part authenticates as its role), or null. */
    final io.ferry.coordination.SecureDir secure;

    FerryCluster(Path workdir) throws Exception {
        this(workdir, 1, null);
    }

    FerryCluster(Path workdir, int servers) throws Exception {
        this(workdir, servers, null);
    }

    /**
     * A secured cluster: its ZooKeeper requires SASL of every session, and each part authenticates as its role with
     * the credentials written to {@code secureDir}, creating znodes with Ferry's ACLs.
     */
    static FerryCluster secured(Path workdir, Path secureDir) throws Exception {
        return new FerryCluster(workdir, 1, io.ferry.coordination.SecureDir.init(secureDir, "unused"));
    }

    /** A cluster on a standalone ZooKeeper ({@code servers} = 1) or an ensemble of {@code servers}. */
    private FerryCluster(Path workdir, int servers, io.ferry.coordination.SecureDir secure) throws Exception {
        this.secure = secure;
        if (secure != null) {
            this.zk = securedServer(secure);
            this.ensemble = null;
        } else if (servers == 1) {
            this.zk = new TestingServer(true);
            this.ensemble = null;
        } else {
            this.zk = null;
            this.ensemble = Ensembles.of(servers);
            ensemble.start();
        }
        this.workdir = workdir;
        this.settings = FerrySettings.defaults()
                .with(FerrySettings.CONNECT, zk != null ? zk.getConnectString() : ensemble.getConnectString())
                .with(FerrySettings.SESSION_TIMEOUT, SESSION.toMillis() + "ms")
                .with(FerrySettings.CONNECTION_TIMEOUT, "2s")
                .with(Scheduler.RESYNC, "2s")
                .with(NodeConfig.ISOLATION, "thread"); // the cheap one by default; tests of jvm isolation ask
        this.clientCurator = Zk.connect(as("client"), WAIT);
        this.client = new FerryClient(clientCurator);
    }

    /**
     * A server that requires SASL: ZooKeeper reads that from system properties when a server is built, so they are
     * set for this one only, and later servers of this JVM stay open.
     */
    private static TestingServer securedServer(io.ferry.coordination.SecureDir secure) throws Exception {
        java.util.Properties p = new java.util.Properties();
        secure.secureServer(p);
        Map<String, Object> custom = new java.util.HashMap<>();
        p.forEach((k, v) -> custom.put((String) k, v));
        List<String> set = new ArrayList<>();
        p.forEach((k, v) -> {
            System.setProperty("zookeeper." + k, (String) v);
            set.add("zookeeper." + k);
        });
        try {
            return new TestingServer(new org.apache.curator.test.InstanceSpec(null, -1, -1, -1, true, -1, -1, -1,
                    custom, null), true);
        } finally {
            set.stream().filter(k -> !k.contains("authProvider")).forEach(System::clearProperty);
        }
    }

    /** The settings of a part of {@code role}: with its credentials when the cluster is secured. */
    FerrySettings as(String role) {
        return secure == null ? settings : secure.apply(settings, role);
    }

    /** Runs the processes of nodes added from now on in {@code mode} isolation ({@code thread} or {@code jvm}). */
    FerryCluster isolation(String mode) {
        return set(NodeConfig.ISOLATION, mode).set(NodeConfig.WORKER_POOL, mode.equals("jvm") ? "1" : "0");
    }

    /** Sets {@code key} for the parts added from now on. */
    FerryCluster set(String key, String value) {
        this.settings = settings.with(key, value);
        return this;
    }

    FerryCluster checkpointEvery(Duration every) {
        this.checkpointEvery = every;
        return this;
    }

    FerryCluster suspendTimeout(Duration timeout) {
        this.suspendTimeout = timeout;
        return this;
    }

    /**
     * How often nodes and schedulers added from now on re-read everything to heal a missed event (2 s unless set):
     * tests of event handling set it beyond their deadlines, so that the periodic resync cannot hide a miss.
     */
    FerryCluster resync(Duration nodes, Duration schedulers) {
        this.nodeResync = nodes;
        this.schedulerResync = schedulers;
        return this;
    }

    Scheduler addScheduler(String id) {
        CuratorFramework c = Zk.connect(as("scheduler"), WAIT);
        Scheduler s = new Scheduler(c, id, as("scheduler").with(Scheduler.RESYNC, schedulerResync.toMillis() + "ms"));
        s.start();
        schedulers.add(new Member<>(s, c));
        return s;
    }

    NodeAgent addNode(String id, int slots) {
        return addNode(id, slots, workdir);
    }

    /** A node whose processes' relative files and classpath entries resolve against {@code nodeWorkdir}. */
    NodeAgent addNode(String id, int slots, Path nodeWorkdir) {
        NodeAgent node = startNode(id, slots, nodeWorkdir);
        Awaitility.await().atMost(WAIT).until(node::isRegistered);
        return node;
    }

    /** Starts a node without waiting for it to register. */
    NodeAgent startNode(String id, int slots) {
        return startNode(id, slots, workdir);
    }

    private NodeAgent startNode(String id, int slots, Path nodeWorkdir) {
        CuratorFramework c = Zk.connect(as("node"), WAIT);
        NodeConfig config = NodeConfig.from(as("node"), id, nodeWorkdir).withSlots(slots)
                .withTimeouts(checkpointEvery, suspendTimeout, nodeResync);
        NodeAgent node = new NodeAgent(c, config);
        node.start();
        nodes.put(id, new Member<>(node, c));
        return node;
    }

    NodeAgent node(String id) {
        return nodes.get(id).part();
    }

    /** The current leader, once there is one. */
    Scheduler leader() {
        Awaitility.await().atMost(WAIT).until(() -> schedulers.stream().anyMatch(m -> m.part().isLeader()));
        return schedulers.stream().map(Member::part).filter(Scheduler::isLeader).findFirst().orElseThrow();
    }

    /**
     * Starts an ensemble member again that was killed, until it serves clients: a restart right after a kill can
     * find its port still held for a moment, and then fails.
     */
    void restartServer(org.apache.curator.test.InstanceSpec server) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ensemble.restartServer(server);
            try {
                Awaitility.await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                        .until(() -> serves(server.getPort()));
                return;
            } catch (org.awaitility.core.ConditionTimeoutException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
        }
    }

    /** Whether a live ZooKeeper server answers on {@code port} (its "srvr" command; a dying one's socket does not). */
    private static boolean serves(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            s.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readNBytes(64), java.nio.charset.StandardCharsets.US_ASCII);
            return reply.contains("Zookeeper version") || reply.contains("not currently serving");
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    /** Ends a scheduler's session abruptly, as a crash would (its standby takes over). */
    void killScheduler(Scheduler s) {
        Member<Scheduler> m = schedulers.stream().filter(x -> x.part() == s).findFirst().orElseThrow();
        schedulers.remove(m);
        m.curator().close();
        m.part().close();
    }

    /** Crashes a node: its processes stop where they are, nothing more is written, and its session ends. */
    void crashNode(String id) {
        Member<NodeAgent> m = nodes.remove(id);
        m.part().halt();
        m.curator().close();
    }

    /** Stops a node the clean way: it snapshots its processes, then leaves. */
    void closeNode(String id) {
        Member<NodeAgent> m = nodes.remove(id);
        m.part().close();
        m.curator().close();
    }

    /** Stops every scheduler and node the way a whole-cluster stop does (ZooKeeper stays up). */
    void stopAll() {
        for (Member<Scheduler> m : schedulers) {
            quietly(m.part());
            quietly(m.curator());
        }
        schedulers.clear();
        for (Member<NodeAgent> m : nodes.values()) {
            m.part().stopWithCluster();
            quietly(m.curator());
        }
        nodes.clear();
    }

    /** What {@code node}'s runner of {@code pid} is doing (IN_RUN, PAUSED, ...), or NONE. */
    String phaseOf(String node, String pid) {
        return node(node).processes().stream().filter(p -> p.pid().equals(pid))
                .map(io.ferry.node.LocalProcess::phase).findFirst().orElse("NONE");
    }

    /** The test's own Curator client, for reading znodes directly. */
    CuratorFramework curator() {
        return clientCurator;
    }

    Path file(String name) {
        return workdir.resolve(name);
    }

    @Override
    public void close() throws Exception {
        for (Member<NodeAgent> m : nodes.values()) {
            quietly(m.part());
            quietly(m.curator());
        }
        for (Member<Scheduler> m : schedulers) {
            quietly(m.part());
            quietly(m.curator());
        }
        quietly(clientCurator);
        quietly(zk != null ? zk : ensemble);
    }

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
