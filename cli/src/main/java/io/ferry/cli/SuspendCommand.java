package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import picocli.CommandLine.Command;

@Command(name = "suspend", mixinStandardHelpOptions = true,
        description = "Stops a process with its state stored, freeing its slot; 'ferry resume' continues it.")
final class SuspendCommand extends RequestCommand {
    @Override
    Ticket request(FerryClient client) {
        return client.suspend(pid);
    }

    @Override
    ProcessStatus await(FerryClient client, Ticket ticket) {
        return client.awaitState(pid, ticket, ProcessState.SUSPENDED, timeout);
    }

    @Override
    String done(Ticket ticket, ProcessStatus status) {
        return "Suspended " + pid + (status.node() == null ? "" : " on " + status.node());
    }
}
