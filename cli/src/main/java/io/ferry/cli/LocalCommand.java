package io.ferry.cli;

import io.ferry.coordination.FerrySettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Runs a whole cluster in this process: ZooKeeper, a scheduler and N nodes (node-1..node-N),"
                + " until Ctrl-C. The quickest way to try Ferry; other terminals talk to it with the client"
                + " commands.",
            "With --dir, ZooKeeper keeps its data in DIR/zookeeper and the nodes work in DIR, so a restart with the"
                + " same --dir continues the processes from their snapshots; without it, ZooKeeper's data is"
                + " temporary and the nodes work in the current directory."})
final class LocalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "How many nodes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--port", paramLabel = "P", defaultValue = "2181",
            description = "ZooKeeper's client port (default: ${DEFAULT-VALUE}; 0 for any free port)")
    int port;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "The nodes' working directory, with ZooKeeper's data in DIR/zookeeper (default: the current"
                    + " directory, and temporary ZooKeeper data)")
    Path dir;

    @Option(names = "--slots", paramLabel = "N", description = "Slots per node (default: ferry.node.slots, 4)")
    Integer slots;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = LocalCluster.Options.LOOPBACK,
            description = "The address ZooKeeper listens on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0"
                    + " for every interface, which lets anyone who reaches it run code on the nodes)")
    String bind;

    @Option(names = "--secure", description = "Require every ZooKeeper session to authenticate (SASL), each part as"
            + " its role with per-role ACLs, snapshots signed; credentials in DIR/secure with --dir, else temporary")
    boolean secure;

    @Option(names = "--tls", description = "As --secure, with TLS and a client certificate per role instead of SASL"
            + " passwords: ZooKeeper takes TLS connections only")
    boolean tls;

    @Option(names = "--ui-port", paramLabel = "P", defaultValue = "8080",
            description = "The web dashboard's port on 127.0.0.1 (default: ${DEFAULT-VALUE}, or any free one when it"
                    + " is taken; -1 for no dashboard)")
    int uiPort;

    @Override
    public Integer call() {
        if (uiPort < -1 || uiPort > 65535) {
            throw new IllegalArgumentException("--ui-port must be -1 (no dashboard) or 0..65535, got " + uiPort);
        }
        io.ferry.web.Prometheus.install(); // it serves /metrics: published before any client is made, so metered
        FerrySettings base = FerrySettings.load(Home.properties(), Map.of(), Map.of());
        Path workdir = dir != null ? dir : Path.of("");
        LocalCluster cluster = LocalCluster.start(base, new LocalCluster.Options(port, dir == null ? null
                : dir.resolve("zookeeper"), workdir, nodes, slots, bind,
                tls ? LocalCluster.Security.TLS : secure ? LocalCluster.Security.SASL : LocalCluster.Security.OPEN));
        PrintWriter out = spec.commandLine().getOut();
        List<String> ids = cluster.nodeIds();
        out.println("zookeeper  " + cluster.connectString() + "  (data in " + cluster.zkDir()
                + (cluster.zkDirIsTemporary() ? ", removed at exit)" : ")")
                + (bind.equals(LocalCluster.Options.LOOPBACK) ? "" : "  listening on " + bind));
        out.println("scheduler  scheduler-1 (leader)");
        out.println("nodes      " + String.join(" ", ids) + "  (" + cluster.slots(ids.get(0)) + " slots each)");
        out.println("workdir    " + cluster.workdir());
        List<AutoCloseable> parts = new java.util.ArrayList<>();
        if (uiPort >= 0) {
            LocalDashboard dashboard;
            try {
                // on this machine only, whatever --bind says: it has no login, and acts with a client's credentials
                dashboard = LocalDashboard.start(cluster, LocalCluster.Options.LOOPBACK, uiPort);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            parts.add(dashboard);
            out.println("dashboard  " + dashboard.url());
        }
        parts.add(cluster);
        String env;
        if (cluster.secure() != null) {
            out.println("secured    every session authenticates" + (tls ? " by TLS client certificate" : "")
                    + "; credentials in " + cluster.secure() + " (client, scheduler, node, reader)");
            env = "export FERRY_CONF=" + cluster.secure().properties("client") + ", then ";
        } else {
            env = cluster.connectString().equals("127.0.0.1:2181") ? ""
                    : "export FERRY_ZK=" + cluster.connectString() + " (or pass --zk), then ";
        }
        out.println("ready: " + env + "try 'ferry nodes' in another terminal; Ctrl-C stops");
        out.flush();
        return Daemon.runUntilStopped(out, "ferry local", parts);
    }
}
