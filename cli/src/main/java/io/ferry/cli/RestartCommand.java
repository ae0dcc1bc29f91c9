package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Starts a FAILED or TERMINATED process again under its pid, from its latest snapshot.")
final class RestartCommand extends RequestCommand {
    @Option(names = "--fresh", description = "Start it from its arguments instead, its output files begun anew")
    boolean fresh;

    @Override
    Ticket request(FerryClient client) {
        return client.restart(pid, fresh);
    }

    @Override
    ProcessStatus await(FerryClient client, Ticket ticket) {
        return client.awaitRunning(pid, ticket, timeout);
    }

    @Override
    String done(Ticket ticket, ProcessStatus status) {
        return "Restarted " + pid + " on " + status.node() + (fresh || status.snapshot() == null
                ? " from its arguments" : " from snapshot " + status.snapshot());
    }
}
