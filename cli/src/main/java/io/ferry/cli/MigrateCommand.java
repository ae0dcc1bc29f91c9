package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Moves a running process to NODE, or to the best other node: it is suspended, its state is"
                + " stored, and it continues there.")
final class MigrateCommand extends RequestCommand {
    @Option(names = "--to", paramLabel = "NODE", description = "The node to move to (default: the best other one)")
    String node;

    @Override
    Ticket request(FerryClient client) {
        return client.migrate(pid, node);
    }

    @Override
    ProcessStatus await(FerryClient client, Ticket ticket) {
        return client.awaitMigrated(ticket, timeout);
    }

    @Override
    String done(Ticket ticket, ProcessStatus status) {
        return "Migrated " + pid + " from " + ticket.before().node() + " to " + status.node();
    }
}
