package io.ferry.cli;

import io.ferry.coordination.FerryException;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Layout;
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
import java.util.Properties;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Ferry cluster in one JVM: an embedded ZooKeeper, one scheduler and N nodes, each part with its own
 * ZooKeeper session as on separate machines, all nodes sharing one working directory as a shared filesystem
 * would. What {@code ferry local} runs and {@code ferry demo} tours.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);
    private static final Duration START = Duration.ofSeconds(30);

    /**
     * How to build one.
     *
     * @param bind the address ZooKeeper listens on: 127.0.0.1 unless other machines are to reach it, since anyone who
     *     reaches an unsecured ZooKeeper can run code on every node
     * @param security whether ZooKeeper requires every part to authenticate as its role (by SASL, or by TLS with
     *     client certificates), with credentials in {@code DIR/secure} (kept with the data) or inside the temporary
     *     data
     */
    public record Options(int port, Path zkDir, Path workdir, int nodes, Integer slots, String bind,
            Security security) {
        public static final String LOOPBACK = "127.0.0.1";

        public Options(int port, Path zkDir, Path workdir, int nodes, Integer slots) {
            this(port, zkDir, workdir, nodes, slots, LOOPBACK, Security.OPEN);
        }

        public Options {
            if (nodes < 1) {
                throw new IllegalArgumentException("--nodes must be at least 1, got " + nodes);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be 0..65535, got " + port);
            }
            if (slots != null && slots < 1) {
                throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
            }
        }
    }

    /** How a local cluster's parts prove who they are. */
    public enum Security {
        /** Not at all: anyone who reaches ZooKeeper may do anything. */
        OPEN,
        /** SASL (DIGEST-MD5) passwords. */
        SASL,
        /** TLS with client certificates; ZooKeeper takes TLS connections only. */
        TLS
    }

    /** A part and the session it owns. */
    private record Member<T extends AutoCloseable>(T part, CuratorFramework curator) {}

    private final EmbeddedZooKeeper zk;
    private final ScratchDir scratch;
    private final FerrySettings settings;
    /** The credentials of a secured cluster, or null. */
    private final io.ferry.coordination.SecureDir secure;
    private final Path workdir;
    private final Map<String, Member<NodeAgent>> nodes = new LinkedHashMap<>();
    private final Map<String, NodeConfig> configs = new LinkedHashMap<>();
    private final Map<String, Member<Scheduler>> schedulers = new LinkedHashMap<>();

    /** @param scratch ZooKeeper's temporary data directory, or null when its data is kept */
    private LocalCluster(EmbeddedZooKeeper zk, ScratchDir scratch, FerrySettings settings, Path workdir,
            io.ferry.coordination.SecureDir secure) {
        this.secure = secure;
        this.zk = zk;
        this.scratch = scratch;
        this.settings = settings;
        this.workdir = workdir;
    }

    /**
     * Starts ZooKeeper, the scheduler and the nodes, and returns once the scheduler leads and every node is
     * registered. {@code base} supplies every setting but the connect string.
     */
    public static LocalCluster start(FerrySettings base, Options options) {
        ScratchDir scratch = options.zkDir() == null ? ScratchDir.create("ferry-zk-") : null;
        Path zkDir = scratch != null ? scratch.path() : options.zkDir();
        Properties zoo = new Properties();
        zoo.setProperty("clientPort", String.valueOf(options.port()));
        zoo.setProperty("clientPortAddress", options.bind());
        // Allows sessions of 1 s to 20 s: short enough for quick failure detection on one machine.
        zoo.setProperty("tickTime", "500");
        zoo.setProperty("maxSessionTimeout", "20000");
        // Every part connects from 127.0.0.1; ZooKeeper's default of 60 connections per address would cap the nodes.
        zoo.setProperty("maxClientCnxns", "0");
        EmbeddedZooKeeper zk;
        io.ferry.coordination.SecureDir secure = null;
        try {
            if (options.security() != Security.OPEN) {
                // kept beside the data it protects: DIR/secure with --dir, else inside the temporary data
                secure = secureDir(scratch != null ? zkDir.resolve("secure") : zkDir.resolveSibling("secure"),
                        options.security() == Security.TLS);
                secure.secureServer(zoo);
            }
            zk = EmbeddedZooKeeper.start(zoo, zkDir, START);
            if (secure != null) {
                writeProperties(secure, zk);
            }
        } catch (RuntimeException e) {
            if (scratch != null) {
                scratch.close();
            }
            throw e;
        }
        FerrySettings settings = base.with(FerrySettings.CONNECT, zk.connectString());
        LocalCluster cluster = new LocalCluster(zk, scratch, settings, options.workdir().toAbsolutePath().normalize(),
                secure);
        try {
            cluster.upgradeLayout();
            cluster.startScheduler("scheduler-1");
            for (int i = 1; i <= options.nodes(); i++) {
                cluster.startNode("node-" + i, options.slots());
            }
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String connectString() {
        return zk.connectString();
    }

    /** The settings of this cluster's clients, connect string (and credentials) included. */
    public FerrySettings settings() {
        return as("client");
    }

    /** The credentials of a secured cluster (its properties files for each role), or null. */
    public io.ferry.coordination.SecureDir secure() {
        return secure;
    }

    private static void writeProperties(io.ferry.coordination.SecureDir secure, EmbeddedZooKeeper zk) {
        try {
            secure.writeProperties(zk.connectString());
        } catch (java.io.IOException e) {
            zk.close();
            throw new java.io.UncheckedIOException("Cannot write " + secure + ": " + e, e);
        }
    }

    /** The credentials it kept from an earlier run in {@code dir}, or a fresh set. */
    private static io.ferry.coordination.SecureDir secureDir(Path dir, boolean tls) {
        try {
            if (!java.nio.file.Files.isDirectory(dir)) {
                return io.ferry.coordination.SecureDir.init(dir, "127.0.0.1:2181", tls);
            }
            io.ferry.coordination.SecureDir kept = io.ferry.coordination.SecureDir.open(dir);
            if (kept.tls() != tls) {
                throw new FerryException(dir + " holds the " + (kept.tls() ? "TLS certificates" : "SASL passwords")
                        + " of an earlier run: start it " + (kept.tls() ? "with --tls" : "with --secure and no --tls")
                        + " as then, or remove " + dir + " for a fresh set");
            }
            return kept;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot write credentials to " + dir + ": " + e, e);
        }
    }

    /** The settings of a part of {@code role}: with its credentials when the cluster is secured. */
    private FerrySettings as(String role) {
        return secure == null ? settings : secure.apply(settings, role);
    }

    public Path workdir() {
        return workdir;
    }

    Path zkDir() {
        return zk.dataDir();
    }

    boolean zkDirIsTemporary() {
        return scratch != null;
    }

    /** The agent of local node {@code id}. */
    public NodeAgent node(String id) {
        Member<NodeAgent> m = nodes.get(id);
        if (m == null) {
            throw new FerryException("No local node named " + id);
        }
        return m.part();
    }

    public List<String> nodeIds() {
        return List.copyOf(nodes.keySet());
    }

    int slots(String node) {
        return configOf(node).slots();
    }

    /**
     * Ends a node as a crash would: its processes stop where they are with nothing more written, then its
     * ZooKeeper session ends, so the cluster sees it vanish at once.
     */
    public void kill(String node) {
        Member<NodeAgent> m = nodes.remove(node);
        if (m == null) {
            throw new FerryException("No local node named " + node);
        }
        m.part().halt();
        m.curator().close();
    }

    /**
     * Starts one more node with {@code slots} slots and returns once it is registered.
     */
    public NodeAgent addNode(String id, int slots) {
        startNode(id, slots);
        NodeAgent node = nodes.get(id).part();
        Startup.await(node::isRegistered, START, id + " to register");
        return node;
    }

    /** Starts one more scheduler, a standby while another leads. */
    public Scheduler addScheduler(String id) {
        startScheduler(id);
        return schedulers.get(id).part();
    }

    /** The scheduler that currently leads, if any. */
    public java.util.Optional<Scheduler> leader() {
        return schedulers.values().stream().map(Member::part).filter(Scheduler::isLeader).findFirst();
    }

    /**
     * Ends the leading scheduler's ZooKeeper session at once, as its crash would be seen, and then stops it;
     * returns its id.
     */
    public String killLeader() {
        Scheduler leader = leader().orElseThrow(() -> new FerryException("No scheduler leads"));
        Member<Scheduler> m = schedulers.remove(leader.id());
        m.curator().close();
        m.part().close();
        return leader.id();
    }

    /**
     * Stops the whole cluster cleanly: the schedulers first, so that nothing is placed on nodes that are leaving too,
     * then every node, which stores its processes as SUSPENDED, "cluster stopped" (never LOST); they continue where
     * they were when a cluster starts again on the same ZooKeeper data.
     */
    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>();
        schedulers.values().forEach(m -> order.add(m.part()));
        schedulers.values().forEach(m -> order.add(m.curator()));
        nodes.values().forEach(m -> order.add(m.part()::stopWithCluster));
        nodes.values().forEach(m -> order.add(m.curator()));
        stop(order);
    }

    /**
     * Stops everything without a goodbye: the schedulers first, so nothing is placed again, then every node as
     * {@link #kill} does. For clusters holding many processes, which {@link #close} would snapshot one by one.
     */
    public void closeNow() {
        List<AutoCloseable> order = new ArrayList<>();
        schedulers.values().forEach(m -> order.add(m.part()));
        schedulers.values().forEach(m -> order.add(m.curator()));
        nodes.values().forEach(m -> order.add(m.part()::halt));
        nodes.values().forEach(m -> order.add(m.curator()));
        stop(order);
    }

    private void stop(List<AutoCloseable> order) {
        for (AutoCloseable c : order) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
        nodes.clear();
        schedulers.clear();
        zk.close();
        if (scratch != null) {
            scratch.close();
        }
    }

    @Override
    public String toString() {
        return "local cluster on " + connectString();
    }

    /** A cluster kept by an earlier Ferry in {@code --dir} is moved into this one's layout before anything runs. */
    private void upgradeLayout() {
        try (CuratorFramework c = Zk.connectAnyLayout(as("client"), settings.connectionTimeout())) {
            Layout.Upgrade done = Layout.upgrade(c);
            if (done.from() != done.to()) {
                LOG.info("Upgraded the cluster in {} from layout {} to {} ({} processes)", zkDir(), done.from(),
                        done.to(), done.pids());
            }
        } catch (FerryException e) {
            throw e;
        } catch (Exception e) {
            throw new FerryException("Cannot upgrade the cluster's layout: " + e.getMessage(), e);
        }
    }

    private void startScheduler(String id) {
        CuratorFramework c = Zk.connect(as("scheduler"), settings.connectionTimeout());
        Scheduler s = new Scheduler(c, id, as("scheduler"));
        schedulers.put(id, new Member<>(s, c));
        s.start();
    }

    private void startNode(String id, Integer slots) {
        CuratorFramework c = Zk.connect(as("node"), settings.connectionTimeout());
        NodeConfig config = NodeConfig.from(as("node"), id, workdir);
        if (slots != null) {
            config = config.withSlots(slots);
        }
        NodeAgent node = new NodeAgent(c, config);
        nodes.put(id, new Member<>(node, c));
        configs.put(id, config);
        node.start();
    }

    private NodeConfig configOf(String node) {
        NodeConfig c = configs.get(node);
        if (c == null) {
            throw new FerryException("No local node named " + node);
        }
        return c;
    }

    private void awaitReady() {
        Startup.await(() -> leader().isPresent(), START, "the scheduler to lead");
        for (Member<NodeAgent> m : nodes.values()) {
            Startup.await(m.part()::isRegistered, START, m.part().id() + " to register");
        }
    }
}
