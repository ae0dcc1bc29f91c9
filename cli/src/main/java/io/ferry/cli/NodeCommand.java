package io.ferry.cli;

import io.ferry.coordination.FerryException;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Names;
import io.ferry.coordination.Zk;
import io.ferry.node.NodeAgent;
import io.ferry.node.NodeConfig;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "node", mixinStandardHelpOptions = true,
        subcommands = {NodeControlCommands.CordonCommand.class, NodeControlCommands.UncordonCommand.class,
            NodeControlCommands.DrainCommand.class},
        description = {"Runs a node until Ctrl-C: it registers with the cluster and runs what the scheduler gives it.",
            "Processes' relative file names resolve against --workdir: give every node the same shared directory"
                    + " (NFS or similar) so a process finds its files wherever it moves. On Ctrl-C the node"
                    + " snapshots its processes, which then continue on other nodes."})
final class NodeCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID", description = "Its name, unique in the cluster (default: the host name)")
    String id;

    @Option(names = "--slots", paramLabel = "N", description = "Processes it runs at once (default: ferry.node.slots, 4)")
    Integer slots;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label that launches can require (--label)")
    Map<String, String> labels = Map.of();

    @Option(names = "--cordoned", description = "Take no work until 'ferry node uncordon ID'")
    boolean cordoned;

    @Option(names = "--workdir", paramLabel = "DIR", defaultValue = ".",
            description = "Where processes' relative file names resolve (default: the current directory)")
    Path workdir;

    @Override
    public Integer call() {
        FerrySettings settings = cluster.settings();
        io.ferry.web.MetricsServer metrics = Daemon.metrics(settings, spec.commandLine().getOut());
        String name = id != null ? Names.checkNode(id) : defaultId();
        NodeConfig config = NodeConfig.from(settings, name, workdir).withLabels(labels);
        if (slots != null) {
            if (slots < 1) {
                throw new IllegalArgumentException("--slots must be at least 1, got " + slots);
            }
            config = config.withSlots(slots);
        }
        CuratorFramework curator = Zk.connect(settings, settings.connectionTimeout());
        if (cordoned) {
            try {
                new io.ferry.coordination.CordonTable(curator).set(new io.ferry.coordination.Cordon(
                        io.ferry.coordination.Cordon.FORMAT, name, io.ferry.coordination.Cordon.State.CORDONED, 1,
                        System.currentTimeMillis()));
            } catch (Exception e) {
                curator.close();
                throw new FerryException("Cannot cordon " + name + ": " + Ferry.message(e), e);
            }
        }
        NodeAgent agent = new NodeAgent(curator, config);
        agent.start();
        try {
            // A restart within the session timeout of a crash may have to wait out the old session: as long as it
            // can live, plus a margin. The agent says so itself, and refuses an id that a live node holds.
            Duration session = settings.sessionTimeout();
            Duration wait = settings.connectionTimeout().plus(session).plus(session.dividedBy(5)).plusSeconds(5);
            Startup.await(() -> agent.isRegistered() || agent.refusal() != null, wait, "node " + name
                    + " to register (is another node running as " + name + "? see 'ferry nodes')");
            if (agent.refusal() != null) {
                throw new FerryException(agent.refusal());
            }
        } catch (RuntimeException e) {
            agent.close();
            curator.close();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        List<AutoCloseable> parts = Daemon.parts(metrics, agent, curator);
        out.println("ready: node " + name + " with " + config.slots() + " slot(s), working in " + config.workdir()
                + "; Ctrl-C stops");
        out.flush();
        return Daemon.runUntilStopped(out, "node " + name, parts);
    }

    private static String defaultId() {
        String host = hostName();
        return Names.isNode(host) ? host : "node";
    }

    /** This machine's short host name. */
    static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (Exception e) {
            return "localhost";
        }
    }
}
