package io.ferry.cli;

import io.ferry.node.NodeAgent;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ferry} command: the daemons a cluster is made of, the verbs that ask it to do things, a whole cluster
 * in one process, and a demo. Exit status 0 means success; a refused or failed request exits 1 with one line on
 * standard error, a bad command line exits 2.
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = Ferry.Version.class,
        description = "Runs migratable Java processes on a ZooKeeper-coordinated cluster.%n",
        commandListHeading = "%nCommands:%n",
        footer = {"%nEvery client command takes --zk CONNECT (default: $FERRY_ZK, then ferry.zk.connect in"
                + " conf/ferry.properties, then 127.0.0.1:2181). 'ferry COMMAND --help' tells more."},
        subcommands = {
            LocalCommand.class, DemoCommand.class,
            LaunchCommand.class, PsCommand.class, NodesCommand.class, DescribeCommand.class,
            SuspendCommand.class, ResumeCommand.class, MigrateCommand.class, TerminateCommand.class, RestartCommand.class,
            ForgetCommand.class,
            CheckpointCommand.class, WaitCommand.class, LogsCommand.class, EventsCommand.class, ShellCommand.class,
            ZkCommand.class, SchedulerCommand.class, NodeCommand.class, ZkCliCommand.class, UpgradeCommand.class,
            SecureCommand.class, UiCommand.class, RebalanceCommand.class,
            CompletionCommand.class, io.ferry.cli.bench.BenchCommand.class
        })
public final class Ferry implements Callable<Integer> {
    /** Verbs that run until stopped and log what they do; every other verb logs only what went wrong. */
    private static final Set<String> DAEMONS = Set.of("local", "zk", "scheduler", "node", "ui");

    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    private final Connection shared;

    public Ferry() {
        this(null);
    }

    /** @param shared the connection every verb uses (inside {@code ferry shell}), or null to connect per verb */
    Ferry(Connection shared) {
        this.shared = shared;
    }

    /** The connection verbs share, or null when each opens its own. */
    Connection shared() {
        return shared;
    }

    public static void main(String[] args) {
        String verb = verb(args);
        chooseLogLevels(verb);
        if (verb != null && (verb.equals("local") || verb.equals("demo") || verb.equals("ui"))) {
            // they serve /metrics: the registry first, so that it sees every recording (a scheduler or node
            // daemon makes it only when ferry.metrics.port asks, before it connects)
            io.ferry.web.Prometheus.install();
        }
        System.exit(execute(args));
    }

    /**
     * The verb of a command line: its first word that is not an option; {@code node cordon}, {@code uncordon} and
     * {@code drain} are client verbs, not the node daemon.
     */
    private static String verb(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                boolean control = java.util.Arrays.stream(args).anyMatch(
                        w -> w.equals("cordon") || w.equals("uncordon") || w.equals("drain"));
                return a.equals("node") && control ? "node-control" : a;
            }
        }
        return null;
    }

    /** Runs one command line and returns its exit status. */
    static int execute(String... args) {
        return commandLine(null).execute(args);
    }

    /** A fully configured command line; {@code shared} as in {@link #Ferry(Connection)}. */
    static CommandLine commandLine(Connection shared) {
        CommandLine cl = new CommandLine(new Ferry(shared));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(ERRORS);
        cl.setParameterExceptionHandler(USAGE_ERRORS);
        // Everything after the class name belongs to the process, flags included.
        cl.getSubcommands().get("launch").setStopAtPositional(true);
        cl.getSubcommands().get("zkcli").setStopAtPositional(true);
        return cl;
    }

    /** No command given: the list of commands, on standard error since nothing was done. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** Refused and failed requests: one line, exit 1. */
    private static final IExecutionExceptionHandler ERRORS = (e, cl, parsed) -> {
        cl.getErr().println("ferry: " + Format.printable(message(e)));
        if (Boolean.getBoolean("ferry.debug")) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return FAILED;
    };

    /** Bad command lines: one line naming what was wrong and where to read more, exit 2. */
    private static final IParameterExceptionHandler USAGE_ERRORS = (e, args) -> {
        CommandLine cl = e.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName();
        String what = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && cl.getCommandSpec().root() == cl.getCommandSpec()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            what = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        cl.getErr().println("ferry: " + Format.printable(firstLine(what)) + " (see '" + name + " --help')");
        cl.getErr().flush();
        return USAGE;
    };

    static String message(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            e = e.getCause();
        }
        String m = e.getMessage();
        boolean known = e instanceof io.ferry.coordination.FerryException || e instanceof IllegalArgumentException
                || e instanceof java.io.IOException;
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return firstLine(known ? m : e.getClass().getSimpleName() + ": " + m);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s).trim();
    }

    /**
     * Sets the levels conf/logback.xml reads, before anything logs: client verbs print their own output and
     * errors, so ZooKeeper's and Curator's connection chatter is off for them. Explicit -D settings win.
     */
    private static void chooseLogLevels(String verb) {
        if (verb == null || !DAEMONS.contains(verb)) {
            setIfAbsent("ferry.log.zk", "OFF");
            // The demo narrates on standard output; its own crash of a node is no news.
            setIfAbsent("ferry.log.level", "demo".equals(verb) ? "ERROR" : "WARN");
        }
        // ZooKeeper's server reads this when it starts; no admin web server on port 8080.
        setIfAbsent("zookeeper.admin.enableServer", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ferry " + NodeAgent.VERSION + " (Java " + Runtime.version() + ")"};
        }
    }
}
