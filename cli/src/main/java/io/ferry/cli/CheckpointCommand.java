package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessStatus;
import picocli.CommandLine.Command;

@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = "Snapshots a running process now; it keeps running, and recovers from here if its node dies.")
final class CheckpointCommand extends RequestCommand {
    @Override
    Ticket request(FerryClient client) {
        return client.checkpoint(pid);
    }

    @Override
    ProcessStatus await(FerryClient client, Ticket ticket) {
        // The desired count now includes this request (and any made since, which only ask for more).
        long wanted = client.describe(pid).record().desired().checkpoint();
        return client.awaitCheckpoint(ticket, wanted, timeout);
    }

    @Override
    String done(Ticket ticket, ProcessStatus status) {
        String snapshot = status.snapshot() == null ? "" : " (snapshot " + status.snapshot() + ")";
        return "Checkpointed " + pid + " on " + status.node() + snapshot;
    }
}
