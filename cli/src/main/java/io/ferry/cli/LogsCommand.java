package io.ferry.cli;

import io.ferry.coordination.FerryClient;
import io.ferry.coordination.LogStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Shows what a process printed to System.out and System.err, wherever it ran, in order.",
                "Lines starting with [ferry] mark where each generation (a move or a recovery) began."})
final class LogsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process, e.g. p-17")
    String pid;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the process ends (or Ctrl-C)")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines of what is stored so far")
    Integer tail;

    @Override
    public Integer call() throws InterruptedException {
        if (tail != null && tail < 0) {
            throw new IllegalArgumentException("--tail must be 0 or more, got " + tail);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = cluster.connect()) {
            FerryClient client = c.client();
            CountDownLatch more = new CountDownLatch(1);
            List<LogStore.Chunk> chunks = client.logs(pid, null, follow ? more::countDown : null);
            String text = text(chunks);
            if (tail != null) {
                List<String> lines = text.lines().toList();
                text = String.join("\n", lines.subList(Math.max(0, lines.size() - tail), lines.size()))
                        + (lines.isEmpty() ? "" : "\n");
            }
            out.print(text);
            out.flush();
            String last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1).name();
            while (follow) {
                boolean ended = client.describe(pid).state().isTerminal();
                more.await(ended ? 0 : 1, TimeUnit.SECONDS);
                more = new CountDownLatch(1);
                List<LogStore.Chunk> next = client.logs(pid, last, more::countDown);
                if (!next.isEmpty()) {
                    out.print(text(next));
                    out.flush();
                    last = next.get(next.size() - 1).name();
                } else if (ended) {
                    break;
                }
            }
        }
        return 0;
    }

    private static String text(List<LogStore.Chunk> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(chunk -> all.writeBytes(chunk.bytes()));
        return all.toString(StandardCharsets.UTF_8);
    }
}
