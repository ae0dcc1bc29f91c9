package io.ferry.cli;

import io.ferry.coordination.Cordon;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.NodeView;
import io.ferry.coordination.ProcessView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry node cordon|uncordon|drain NODE}: take a node out of service, and bring it back. */
final class NodeControlCommands {
    private NodeControlCommands() {}

    /** What the three verbs share: the cluster options (theirs, else those given before them) and the node. */
    abstract static class NodeVerb {
        @Mixin
        ClusterOptions cluster;

        @picocli.CommandLine.ParentCommand
        NodeCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NODE")
        String node;

        /** A connection, with the options given before the verb too ({@code ferry node --zk X drain N}). */
        Connection connect() {
            if (parent != null) {
                cluster.zk = cluster.zk != null ? cluster.zk : parent.cluster.zk;
                cluster.connectTimeout = cluster.connectTimeout != null ? cluster.connectTimeout
                        : parent.cluster.connectTimeout;
            }
            return cluster.connect();
        }
    }

    @Command(name = "cordon", mixinStandardHelpOptions = true,
            description = "No new work goes to NODE (launches, recoveries, moves); what runs there stays.")
    static final class CordonCommand extends NodeVerb implements Callable<Integer> {
        @Override
        public Integer call() {
            try (Connection c = connect()) {
                c.client().cordon(node);
            }
            spec.commandLine().getOut().println(node + " is CORDONED: no new work goes there ('ferry node uncordon "
                    + node + "' opens it again)");
            return 0;
        }
    }

    @Command(name = "uncordon", mixinStandardHelpOptions = true,
            description = "NODE takes new work again (ending a cordon or a drain).")
    static final class UncordonCommand extends NodeVerb implements Callable<Integer> {
        @Override
        public Integer call() {
            boolean was;
            try (Connection c = connect()) {
                was = c.client().uncordon(node);
            }
            spec.commandLine().getOut().println(node + (was ? " is READY: it takes new work again"
                    : " was not cordoned: it takes new work"));
            return 0;
        }
    }

    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = {"Cordons NODE and moves every process off it, at most --parallel at once, showing progress"
                    + " until none is left or --deadline passes. What cannot move (pinned there with --node, or"
                    + " ignoring suspend()) is named with the reason, and the command then fails. The drain goes on"
                    + " in the cluster (across a leader failover) after this command ends; 'ferry node uncordon'"
                    + " ends it."})
    static final class DrainCommand extends NodeVerb implements Callable<Integer> {
        @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
                description = "Moves under way at once, at most (default: ${DEFAULT-VALUE})")
        int parallel;

        @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "5m",
                converter = DurationConverter.class, description = "How long to wait for it to empty (default:"
                        + " ${DEFAULT-VALUE})")
        Duration deadline;

        @Override
        public Integer call() {
            if (parallel < 1 || parallel > Cordon.MAX_PARALLEL) {
                throw new IllegalArgumentException("--parallel must be 1.." + Cordon.MAX_PARALLEL + ", got " + parallel);
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Connection c = connect()) {
                FerryClient ferry = c.client();
                List<String> before = pidsOn(ferry, node);
                ferry.drain(node, parallel);
                out.println("Draining " + node + ": " + before.size() + " process(es) to move, at most " + parallel
                        + " at once");
                out.flush();
                long end = System.nanoTime() + deadline.toNanos();
                String shown = null;
                while (true) {
                    Map<String, String> stuck = new LinkedHashMap<>();
                    List<String> moving = new ArrayList<>();
                    for (String pid : pidsOn(ferry, node)) {
                        String why = unmovable(ferry, pid, node);
                        if (why != null) {
                            stuck.put(pid, why);
                        } else {
                            moving.add(pid);
                        }
                    }
                    String progress = (before.size() - moving.size() - stuck.size()) + " of " + before.size()
                            + " moved" + (moving.isEmpty() ? "" : ", " + moving.size() + " to go");
                    if (!progress.equals(shown)) {
                        out.println("  " + progress);
                        out.flush();
                        shown = progress;
                    }
                    boolean late = System.nanoTime() > end;
                    if (moving.isEmpty() || late) {
                        moving.forEach(pid -> stuck.put(pid, "still there at the deadline (--deadline "
                                + io.ferry.coordination.Durations.format(deadline) + ")"));
                        if (stuck.isEmpty()) {
                            out.println("Drained " + node + ": nothing runs there; it stays cordoned until 'ferry"
                                    + " node uncordon " + node + "'");
                            return 0;
                        }
                        stuck.forEach((pid, why) -> out.println("  " + pid + " cannot move: " + why));
                        out.flush();
                        throw new FerryException(node + " is not drained: " + stuck.size() + " process(es) still"
                                + " there (" + String.join(", ", stuck.keySet()) + ")");
                    }
                    LockSupport.parkNanos(200_000_000L); // progress is shown as it is polled: 5 looks a second
                }
            }
        }

        private static List<String> pidsOn(FerryClient ferry, String node) {
            return ferry.nodes().stream().filter(v -> v.info().id().equals(node)).findFirst().map(NodeView::pids)
                    .orElseThrow(() -> new io.ferry.coordination.NoSuchNodeException(node));
        }

        /** Why {@code pid} cannot leave {@code node}, or null when it may still. */
        private static String unmovable(FerryClient ferry, String pid, String node) {
            ProcessView v = ferry.describe(pid);
            if (node.equals(v.record().spec().node())) {
                return "pinned to " + node + " (launched with --node)";
            }
            var s = v.status();
            if (s != null && s.rejectedVersion() != null && s.error() != null) {
                return "it could not be suspended: " + s.error();
            }
            return null;
        }
    }
}
