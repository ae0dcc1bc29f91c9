package io.ferry.cli;

import io.ferry.coordination.Durations;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A narrated tour on a fresh local cluster: grep a generated file, migrate the running grep,"
                + " kill the node it moved to, watch it recover on another, and check that its output is byte for"
                + " byte what a plain run writes. Exits 0 only if it is.",
            "The input is sized so that grep runs a few seconds on this machine (or give --lines)."})
final class DemoCommand implements Callable<Integer> {
    /** How long grep should run on the cluster: long enough to be moved and crashed along the way. */
    private static final Duration TARGET = Duration.ofSeconds(4);
    private static final long MIN_LINES = 40;
    private static final long MAX_LINES = 6_000_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration MIN_CHECKPOINT = Duration.ofMillis(100);
    private static final Duration MAX_CHECKPOINT = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Nodes in the cluster, at least 3"
            + " (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--lines", paramLabel = "N", description = "Lines of input (default: sized to this machine)")
    Long lines;

    @Option(names = "--dir", paramLabel = "DIR", description = "Work in DIR and keep the files (default: a temporary"
            + " directory, removed afterwards)")
    Path dir;

    private PrintWriter out;
    private int step;
    private long inputLines;
    private long inputBytes;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        if (nodes < 3) {
            throw new IllegalArgumentException("--nodes must be at least 3 (one to start on, one to migrate to, one"
                    + " to recover on), got " + nodes);
        }
        DemoWorkload.requireGrep();
        io.ferry.web.Prometheus.install(); // it serves /metrics: published before any client is made, so metered
        ScratchDir scratch = dir == null ? ScratchDir.create("ferry-demo-") : null;
        Path work = scratch != null ? scratch.path() : Files.createDirectories(dir).toAbsolutePath();
        Path plainDir = Files.createDirectories(work.resolve("plain"));
        Path clusterDir = Files.createDirectories(work.resolve("cluster"));
        say("Ferry demo: one grep, moved while it runs and crashed along the way, must write exactly what a plain"
                + " run writes.");
        try {
            long started = System.nanoTime();
            step("Preparing the input and a plain run to compare with (no Ferry involved)");
            DemoWorkload.PlainRun plain = prepare(work, plainDir);
            step("Starting a local cluster: ZooKeeper, a scheduler and " + nodes + " nodes");
            FerrySettings base = FerrySettings.load(Home.properties(), Map.of(), Map.of());
            long t = System.nanoTime();
            try (LocalCluster cluster = LocalCluster.start(base, new LocalCluster.Options(0, null, clusterDir, nodes,
                    null));
                    Connection connection = Connection.open(cluster.settings())) {
                detail("ZooKeeper at %s; %s ready in %s", cluster.connectString(),
                        String.join(", ", cluster.nodeIds()), Format.took(t));
                Figures figures;
                try (LocalDashboard dashboard = LocalDashboard.start(cluster, LocalCluster.Options.LOOPBACK, 8080)) {
                    detail("dashboard at %s (while the demo runs)", dashboard.url());
                    figures = tour(cluster, connection.client(), clusterDir, plain);
                }
                step("Comparing the outputs");
                Path expected = plainDir.resolve(DemoWorkload.OUTPUT);
                Path actual = clusterDir.resolve(DemoWorkload.OUTPUT);
                long mismatch = Files.mismatch(expected, actual);
                if (mismatch != -1) {
                    throw new FerryException(String.format("The output differs from the plain run at byte %,d"
                            + " (%,d bytes vs %,d expected): see %s", mismatch, Files.size(actual),
                            Files.size(expected), work));
                }
                detail("%s: %,d bytes, identical to the plain run's", actual, Files.size(actual));
                say("");
                say("Figures");
                detail("input          %,d lines, %s", figures.lines, bytes(figures.inputBytes));
                detail("plain run      %s", Durations.format(plain.elapsed()));
                detail("on the cluster %s, with a migration, a node crash and %d snapshots", Durations.format(
                        figures.run), figures.snapshots);
                detail("launch         %s until running", Durations.format(figures.launch));
                detail("migration      %s (%s -> %s)", Durations.format(figures.migration), figures.first,
                        figures.second);
                detail("recovery       %s from the crash of %s to running on %s", Durations.format(figures.recovery),
                        figures.second, figures.third);
                say("");
                say("Demo passed in " + Format.took(started) + ": the output survived a migration and a crash"
                        + " unchanged.");
            }
            return 0;
        } finally {
            if (scratch != null) {
                scratch.close();
            }
        }
    }

    /** What the tour measured. */
    private record Figures(long lines, long inputBytes, Duration launch, Duration migration, Duration recovery,
            Duration run, long snapshots, String first, String second, String third) {}

    /** Writes an input that keeps grep busy for about {@link #TARGET} and runs it plainly; returns that run. */
    private DemoWorkload.PlainRun prepare(Path work, Path plainDir) {
        long n = lines != null ? lines : 200_000;
        for (int attempt = 1; ; attempt++) {
            inputBytes = DemoWorkload.writeInput(work, n);
            inputLines = n;
            Duration budget = lines != null ? WAIT : attempt == 1 ? Duration.ofSeconds(2) : TARGET.multipliedBy(3);
            DemoWorkload.PlainRun run = DemoWorkload.runPlain(plainDir, budget);
            boolean longEnough = run.completed() && run.elapsed().compareTo(TARGET.dividedBy(2)) >= 0;
            if (run.completed() && (lines != null || longEnough || n >= MAX_LINES || attempt >= 4)) {
                detail("%s: %,d lines (%s), every %dth of them mentions '%s'", work.resolve(DemoWorkload.INPUT),
                        n, bytes(inputBytes), DemoWorkload.MATCH_EVERY, DemoWorkload.QUERY);
                detail("plain run of GrepProcess %s: %s, %,d matching lines", String.join(" ", DemoWorkload.ARGS),
                        Durations.format(run.elapsed()), run.outputLines());
                return run;
            }
            if (!run.completed() && (lines != null || attempt >= 6)) {
                throw new FerryException("The plain run did not finish within " + Durations.format(budget)
                        + "; try 'ferry demo --lines N' with N below " + n);
            }
            // Lines per second, from the whole run or from the matches written before it was stopped.
            double rate = run.completed() ? n / secs(run.elapsed())
                    : Math.max(1, run.outputLines() * DemoWorkload.MATCH_EVERY) / secs(run.elapsed());
            n = Math.max(MIN_LINES, Math.min(MAX_LINES, (long) (rate * secs(TARGET))));
            detail("sizing the input to this machine: grep handles about %,.0f lines/s, trying %,d lines", rate, n);
        }
    }

    private Figures tour(LocalCluster cluster, FerryClient client, Path clusterDir, DemoWorkload.PlainRun plain) {
        Path output = clusterDir.resolve(DemoWorkload.OUTPUT);
        long expectedBytes = sizeOf(clusterDir.resolveSibling("plain").resolve(DemoWorkload.OUTPUT));

        // Checkpoints and pauses scale with how fast grep is here, so each step lands mid-run.
        Duration slice = plain.elapsed().dividedBy(8);
        Duration every = slice.compareTo(MIN_CHECKPOINT) < 0 ? MIN_CHECKPOINT
                : slice.compareTo(MAX_CHECKPOINT) > 0 ? MAX_CHECKPOINT : slice;
        step("Launching grep on the cluster, with a checkpoint every " + Durations.format(every));
        ProcessSpec grep = new ProcessSpec("grep", DemoWorkload.GREP, DemoWorkload.ARGS, null, null, null,
                every.toMillis());
        detail("ferry launch --checkpoint-every %s --name grep GrepProcess %s", Durations.format(every),
                String.join(" ", DemoWorkload.ARGS));
        long t = System.nanoTime();
        long runStart = t;
        String pid = client.launch(grep);
        ProcessStatus s = client.awaitRunning(pid, null, WAIT);
        Duration launch = since(t);
        String first = s.node();
        detail("%s is RUNNING on %s after %s", pid, first, Durations.format(launch));
        LockSupport.parkNanos(slice.toNanos()); // a moment of work before it moves, so there is something to move

        step("Migrating " + pid + " away from " + first + " while it runs");
        detail("%s of its output written so far", progress(output, expectedBytes));
        t = System.nanoTime();
        Ticket ticket = client.migrate(pid, null);
        s = notDone(() -> client.awaitMigrated(ticket, WAIT), pid, "migrated");
        Duration migration = since(t);
        String second = s.node();
        detail("suspended on %s, its state stored in ZooKeeper, continued on %s: %s (generation %d)", first, second,
                Durations.format(migration), s.generation());

        step("Crashing " + second + " after its next checkpoint of " + pid);
        long generation = s.generation();
        Long snapshotAfterMove = s.snapshot();
        s = notDone(() -> client.await(pid, null, x -> x.generation() == generation && x.snapshot() != null
                && !x.snapshot().equals(snapshotAfterMove), "checkpoint", WAIT), pid, "checkpointed");
        detail("checkpoint %d taken on %s with %s of the output written", s.snapshot(), second,
                progress(output, expectedBytes));
        t = System.nanoTime();
        cluster.kill(second);
        detail("%s killed: its ZooKeeper session is gone and its processes stopped mid-write", second);
        s = client.await(pid, null, x -> x.generation() > generation
                && (x.state() == ProcessState.RUNNING || x.state() == ProcessState.COMPLETED), "recover", WAIT);
        Duration recovery = since(t);
        String third = s.node();
        detail("%s is RUNNING again on %s: %s after the crash, from checkpoint %s (generation %d)", pid, third,
                Durations.format(recovery), s.snapshot(), s.generation());

        step("Waiting for " + pid + " to complete");
        s = client.awaitState(pid, null, ProcessState.COMPLETED, WAIT);
        Duration run = since(runStart);
        detail("%s COMPLETED on %s, %s after launch", pid, s.node(), Durations.format(run));
        long snapshots = s.snapshot() == null ? 0 : s.snapshot();
        return new Figures(inputLines, inputBytes, launch, migration, recovery, run, snapshots, first, second, third);
    }

    /** Runs a wait that fails if the process completes first, with a message that says what to do. */
    private ProcessStatus notDone(java.util.function.Supplier<ProcessStatus> wait, String pid, String what) {
        try {
            return wait.get();
        } catch (FerryException e) {
            if (e.getMessage().contains(ProcessState.COMPLETED.name())) {
                throw new FerryException(pid + " completed before it could be " + what + ": grep is faster here"
                        + " than the demo expected; run 'ferry demo --lines N' with N above " + inputLines);
            }
            throw e;
        }
    }

    private void step(String what) {
        out.println();
        out.println("[" + ++step + "] " + what);
        out.flush();
    }

    private void detail(String format, Object... args) {
        out.println("    " + String.format(format, args));
        out.flush();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private static String progress(Path output, long expected) {
        long now = sizeOf(output);
        return expected == 0 ? bytes(now) : String.format("%d%%", Math.min(100, now * 100 / expected));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String bytes(long n) {
        return n < 10_000 ? n + " bytes" : n < 10_000_000 ? (n / 1000) + " KB" : (n / 1_000_000) + " MB";
    }

    private static double secs(Duration d) {
        return Math.max(0.001, d.toNanos() / 1e9);
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
