package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Runs a suspended process again from its snapshot, on NODE or wherever there is room.")
final class ResumeCommand extends RequestCommand {
    @Option(names = "--to", paramLabel = "NODE", description = "The node to resume on (default: the best one)")
    String node;

    @Override
    Ticket request(FerryClient client) {
        return client.resume(pid, node);
    }

    @Override
    ProcessStatus await(FerryClient client, Ticket ticket) {
        return client.awaitRunning(pid, ticket, timeout);
    }

    @Override
    String done(Ticket ticket, ProcessStatus status) {
        return "Resumed " + pid + " on " + status.node();
    }
}
