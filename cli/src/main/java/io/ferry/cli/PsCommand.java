package io.ferry.cli;

import io.ferry.coordination.DesiredState;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessView;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "Lists processes that are not finished (--all: finished ones too).")
final class PsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    JsonOption output;

    @Spec
    CommandSpec spec;

    @Option(names = {"-a", "--all"}, description = "Include completed, failed and terminated processes")
    boolean all;

    /** One process, as {@code --json} prints it. */
    record Row(String pid, String name, String className, List<String> args, ProcessState state,
            DesiredState desired, String node, long generation, Long snapshot, Long checkpointAt, long createdAt,
            String error) {
        static Row of(ProcessView v) {
            ProcessStatus s = v.status();
            return new Row(v.pid(), v.record().spec().name(), v.record().spec().className(), v.record().spec().args(),
                    v.state(), v.record().desired().state(), v.node(), v.generation(),
                    s == null ? null : s.snapshot(), s == null ? null : s.checkpointAt(), v.record().createdAt(),
                    s == null ? null : s.error());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows;
        try (Connection c = cluster.connect()) {
            rows = c.client().list(all).stream().filter(v -> all || !v.state().isTerminal()).map(Row::of).toList();
        }
        if (output.json) {
            JsonOption.print(out, rows);
            return 0;
        }
        Table table = new Table("PID", "NAME", "STATE", "NODE", "GEN", "CHECKPOINT", "AGE", "COMMAND");
        for (Row r : rows) {
            String state = r.state() + (wantsOther(r) ? " -> " + r.desired() : "");
            table.row(r.pid(), r.name(), state, r.node(), r.generation(), Format.ago(r.checkpointAt()),
                    Format.age(r.createdAt()), String.join(" ", commandLine(r)));
        }
        if (table.isEmpty()) {
            out.println(all ? "No processes." : "No processes running (finished ones: 'ferry ps --all').");
            out.flush();
        } else {
            table.print(out);
        }
        return 0;
    }

    /** Whether a request is still being carried out (e.g. RUNNING while SUSPENDED is wanted). */
    private static boolean wantsOther(Row r) {
        return !r.state().isTerminal() && switch (r.desired()) {
            case RUNNING -> r.state() == ProcessState.SUSPENDED;
            case SUSPENDED -> r.state() != ProcessState.SUSPENDED;
            case TERMINATED, FORGOTTEN -> true;
        };
    }

    private static List<String> commandLine(Row r) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(r.className()), r.args().stream()).toList();
    }
}
