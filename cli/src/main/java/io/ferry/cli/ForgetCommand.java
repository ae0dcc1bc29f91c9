package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessStatus;
import picocli.CommandLine.Command;

@Command(name = "forget", mixinStandardHelpOptions = true,
        description = "Removes a finished process now, with its status, snapshots and logs, rather than when its"
                + " retention (ferry.retention) ends.")
final class ForgetCommand extends RequestCommand {
    @Override
    Ticket request(FerryClient client) {
        return client.forget(pid);
    }

    @Override
    ProcessStatus await(FerryClient client, Ticket ticket) {
        client.awaitGone(pid, timeout);
        return null;
    }

    @Override
    String done(Ticket ticket, ProcessStatus status) {
        return "Forgot " + pid;
    }
}
