package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import picocli.CommandLine.Command;

@Command(name = "terminate", mixinStandardHelpOptions = true, description = "Stops a process for good.")
final class TerminateCommand extends RequestCommand {
    @Override
    Ticket request(FerryClient client) {
        return client.terminate(pid);
    }

    @Override
    ProcessStatus await(FerryClient client, Ticket ticket) {
        return client.awaitState(pid, ticket, ProcessState.TERMINATED, timeout);
    }

    @Override
    String done(Ticket ticket, ProcessStatus status) {
        return "Terminated " + pid;
    }
}
