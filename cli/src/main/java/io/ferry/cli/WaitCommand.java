package io.ferry.cli;

import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Waits until a process reaches STATE (by default until it completes).",
            "Exits 1 when it ends in another state (FAILED, TERMINATED) or the timeout passes."})
final class WaitCommand implements Callable<Integer> {
    /** Long enough to mean "no limit" while staying a valid deadline. */
    private static final Duration FOREVER = Duration.ofDays(3650);

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process, e.g. p-17")
    String pid;

    @Option(names = "--state", paramLabel = "STATE", defaultValue = "COMPLETED",
            description = "One of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    ProcessState state;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up after this long (default: no limit)")
    Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = cluster.connect()) {
            long start = System.nanoTime();
            ProcessStatus s = c.client().awaitState(pid, null, state, timeout == null ? FOREVER : timeout);
            out.println(pid + " is " + s.state() + (s.node() == null ? "" : " on " + s.node())
                    + " (waited " + Format.took(start) + ")");
            out.flush();
            return 0;
        }
    }
}
