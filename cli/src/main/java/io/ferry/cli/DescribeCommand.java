package io.ferry.cli;

import io.ferry.coordination.Desired;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessView;
import io.ferry.coordination.SnapshotMeta;
import io.ferry.coordination.Transition;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Shows one process: how it was launched, what is wanted of it, where it is, its history.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    JsonOption output;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process, e.g. p-17")
    String pid;

    /** The whole process, as {@code --json} prints it. */
    record Description(String pid, ProcessSpec spec, Desired desired, long createdAt, ProcessStatus status,
            SnapshotMeta snapshot) {}

    @Override
    public Integer call() {
        Description d;
        try (Connection c = cluster.connect()) {
            ProcessView v = c.client().describe(pid);
            d = new Description(pid, v.record().spec(), v.record().desired(), v.record().createdAt(), v.status(),
                    c.client().snapshot(pid).orElse(null));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            JsonOption.print(out, d);
            return 0;
        }
        ProcessSpec ps = d.spec();
        ProcessStatus s = d.status();
        Table facts = new Table("", "");
        facts.row("pid", d.pid());
        facts.row("name", ps.name());
        facts.row("command", ps.commandLine());
        facts.row("classpath", ps.classpath().isEmpty() ? "the nodes' own" : String.join(java.io.File.pathSeparator,
                ps.classpath()));
        facts.row("placement", placement(ps, d.desired()));
        facts.row("isolation", (ps.isolation() == null ? "the node's default"
                : ps.isolation() == io.ferry.coordination.ProcessSpec.Isolation.JVM ? "a JVM of its own"
                : "a thread of its node's JVM") + (ps.memoryBytes() == null ? ""
                : ", heap limit " + io.ferry.coordination.ByteSizes.format(ps.memoryBytes())));
        facts.row("checkpoints", ps.checkpointEveryMs() == null ? "the node's default interval"
                : ps.checkpointEveryMs() == 0 ? "never (on request only)"
                : "every " + io.ferry.coordination.Durations.format(Duration.ofMillis(ps.checkpointEveryMs())));
        facts.row("restarts", restarts(ps, s));
        facts.row("wanted", d.desired().state());
        if (s == null) {
            facts.row("state", "PENDING (the scheduler has not looked at it yet)");
        } else {
            facts.row("state", s.state() + (s.node() == null ? "" : " on " + s.node()) + ", generation "
                    + s.generation());
            facts.row("last checkpoint", s.checkpointAt() == null ? null
                    : Format.ago(s.checkpointAt()) + snapshotText(d.snapshot()));
            facts.row("error", s.error());
        }
        facts.row("created", Format.dateTime(d.createdAt()) + " (" + Format.ago(d.createdAt()) + ")");
        facts.printBody(out);
        if (s != null && !s.history().isEmpty()) {
            out.println();
            Table history = new Table("TIME", "STATE", "NODE", "GEN", "WHY");
            for (Transition t : s.history()) {
                history.row(Format.clock(t.at()), t.state(), t.node(), t.generation(), t.reason());
            }
            history.print(out);
        }
        out.flush();
        return 0;
    }

    /** The policy, and the restarts made: what the history shows of them may have scrolled away. */
    private static String restarts(ProcessSpec ps, ProcessStatus s) {
        String policy = ps.restart() == null ? "the node's policy" : ps.restart().toString();
        if (s == null || s.retries() == 0 && s.restarts() == 0) {
            return policy;
        }
        return policy + ": " + s.retries() + (ps.restart() == null ? "" : " of " + ps.restart().attempts())
                + " automatic since " + (s.restarts() == 0 ? "launch" : "the last by hand") + ", " + s.restarts()
                + " by hand";
    }

    private static String placement(ProcessSpec spec, Desired desired) {
        StringBuilder b = new StringBuilder();
        String node = desired.node() != null ? desired.node() : spec.node();
        b.append(node != null ? "on " + node : "any node");
        if (!spec.labels().isEmpty()) {
            b.append(" with ").append(Format.labels(spec.labels()));
        }
        if (desired.avoid() != null) {
            b.append(", away from ").append(desired.avoid());
        }
        return b.toString();
    }

    private static String snapshotText(SnapshotMeta m) {
        return m == null ? "" : String.format(" (snapshot %d of generation %d, %,d bytes, on %s)", m.seq(),
                m.generation(), m.size(), m.node());
    }
}
