package io.ferry.cli;

import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.NodeView;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "nodes", mixinStandardHelpOptions = true, description = "Lists live nodes and what runs on them.")
final class NodesCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    JsonOption output;

    @Spec
    CommandSpec spec;

    /** One node, as {@code --json} prints it. */
    record Row(String id, String state, String host, int slots, int used, Map<String, String> labels,
            List<String> processes, List<String> abandoned, String workdir, String version, long startedAt,
            io.ferry.coordination.Avoidance avoided) {
        static Row of(NodeView v) {
            NodeInfo n = v.info();
            return new Row(n.id(), v.state(), n.host(), n.slots(), v.used(), n.labels(), v.pids(), n.abandoned(),
                    n.workdir(), n.version(), n.startedAt(), v.avoided());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows;
        try (Connection c = cluster.connect()) {
            rows = c.client().nodes().stream().map(Row::of).toList();
        }
        if (output.json) {
            JsonOption.print(out, rows);
            return 0;
        }
        Table table = new Table("NODE", "STATE", "HOST", "SLOTS", "LABELS", "UP", "PROCESSES");
        for (Row r : rows) {
            table.row(r.id(), r.state(), r.host(), r.used() + "/" + r.slots(), Format.labels(r.labels()),
                    Format.age(r.startedAt()), processes(r));
        }
        if (table.isEmpty()) {
            out.println("No live nodes (start some with 'ferry node', or try 'ferry local').");
            out.flush();
        } else {
            table.print(out);
            for (Row r : rows) {
                if (r.avoided() != null) { // why, for the operator to mend the node (or wait it out)
                    List<String> f = r.avoided().failures();
                    out.println(r.id() + " is avoided until " + Format.clock(r.avoided().until()) + ": " + f.size()
                            + " processes failed to start there, the latest " + f.get(f.size() - 1));
                }
            }
            out.flush();
        }
        return 0;
    }

    /** Assigned pids, then abandoned threads (which hold a slot until they end) marked as such. */
    private static String processes(Row r) {
        List<String> all = new java.util.ArrayList<>(r.processes());
        r.abandoned().forEach(pid -> all.add(pid + "(abandoned)"));
        return String.join(",", all);
    }
}
