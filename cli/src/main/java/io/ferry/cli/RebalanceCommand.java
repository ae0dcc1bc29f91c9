package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.Rebalance;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rebalance", mixinStandardHelpOptions = true,
        description = {"Moves running processes from the fullest nodes to the emptiest until no two nodes differ by"
                + " more than one process, respecting labels, free slots and pins (--node); cordoned and draining"
                + " nodes are left out. Prints each move, then waits for each to land. Run twice, the second moves"
                + " nothing."})
final class RebalanceCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(names = "--max-moves", paramLabel = "N", defaultValue = "100",
            description = "At most this many moves (default: ${DEFAULT-VALUE})")
    int maxMoves;

    @Option(names = "--dry-run", description = "Print the moves it would make, and make none")
    boolean dryRun;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to wait for each move (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        if (maxMoves < 1 || maxMoves > 10_000) {
            throw new IllegalArgumentException("--max-moves must be 1..10000, got " + maxMoves);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = cluster.connect()) {
            FerryClient ferry = c.client();
            List<Rebalance.Move> moves = Rebalance.plan(ferry.nodes(), ferry.list(false), maxMoves);
            if (moves.isEmpty()) {
                out.println("Balanced: no two nodes that take work differ by more than one process (or nothing can"
                        + " move)");
                return 0;
            }
            List<FerryClient.Ticket> tickets = new ArrayList<>();
            for (Rebalance.Move m : moves) {
                out.println((dryRun ? "would move " : "moving ") + m.pid() + ": " + m.from() + " -> " + m.to());
                out.flush();
                if (!dryRun) {
                    tickets.add(ferry.migrate(m.pid(), m.to()));
                }
            }
            if (dryRun) {
                out.println(moves.size() + " move(s) planned; none made (--dry-run)");
                return 0;
            }
            int landed = 0;
            List<String> failed = new ArrayList<>();
            for (FerryClient.Ticket t : tickets) {
                try {
                    ferry.awaitMigrated(t, timeout);
                    landed++;
                } catch (FerryException e) {
                    failed.add(t.pid() + ": " + e.getMessage());
                }
            }
            out.println("Rebalanced: " + landed + " of " + moves.size() + " move(s) done");
            if (!failed.isEmpty()) {
                failed.forEach(f -> out.println("  " + f));
                out.flush();
                throw new FerryException(failed.size() + " move(s) did not land (" + failed.get(0) + ")");
            }
            return 0;
        }
    }
}
