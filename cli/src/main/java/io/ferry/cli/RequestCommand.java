package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A verb that asks for one change to one process and, unless {@code --no-wait}, waits until the cluster has
 * carried it out, then says how long that took.
 */
abstract class RequestCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process, e.g. p-17 (see 'ferry ps')")
    String pid;

    @Option(names = "--no-wait", description = "Return as soon as the request is accepted")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to wait for the result (default: ${DEFAULT-VALUE})")
    Duration timeout;

    /** Writes the request; throws when its preconditions do not hold. */
    abstract Ticket request(FerryClient client);

    /** Waits until the request of {@code ticket} is carried out. */
    abstract ProcessStatus await(FerryClient client, Ticket ticket);

    /** What happened, e.g. {@code Suspended p-3 on node-1}. */
    abstract String done(Ticket ticket, ProcessStatus status);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = cluster.connect()) {
            long start = System.nanoTime();
            Ticket ticket = request(c.client());
            if (noWait) {
                out.println("Asked to " + spec.name() + " " + pid + " (not waiting; see 'ferry describe " + pid + "')");
            } else {
                ProcessStatus status = await(c.client(), ticket);
                out.println(done(ticket, status) + " in " + Format.took(start));
            }
            out.flush();
            return 0;
        }
    }
}
