package io.ferry.cli;

import io.ferry.node.NodeAgent;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                + " conf/ferry.properties, then 127.0.0.1:2181). 'ferry COMMAND --help' tells more."})
public final class Ferry implements Callable<Integer> {
    /**
     * Every verb, in the order help lists them. A command line holds only the verb it runs ({@link #commandLine}):
     * picocli reads each verb's annotations by reflection, and all of them took a short command most of its time.
     */
    static final Map<String, Class<?>> VERBS = verbs(
            "local", LocalCommand.class, "demo", DemoCommand.class,
            "launch", LaunchCommand.class, "ps", PsCommand.class, "nodes", NodesCommand.class,
            "describe", DescribeCommand.class, "suspend", SuspendCommand.class, "resume", ResumeCommand.class,
            "migrate", MigrateCommand.class, "terminate", TerminateCommand.class, "restart", RestartCommand.class,
            "forget", ForgetCommand.class, "checkpoint", CheckpointCommand.class, "wait", WaitCommand.class,
            "logs", LogsCommand.class, "events", EventsCommand.class, "shell", ShellCommand.class,
            "zk", ZkCommand.class, "scheduler", SchedulerCommand.class, "node", NodeCommand.class,
            "zkcli", ZkCliCommand.class, "upgrade", UpgradeCommand.class, "secure", SecureCommand.class,
            "ui", UiCommand.class, "rebalance", RebalanceCommand.class, "helper", HelperCommand.class,
            "completion", CompletionCommand.class,
            "bench", io.ferry.cli.bench.BenchCommand.class);

    /** Names as well as classes: reading each class's annotation here would cost what building it costs. */
    private static Map<String, Class<?>> verbs(Object... nameThenClass) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            byName.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(byName);
    }

    /**
     * Client verbs that connect first thing: a connection is opened for them while the command line is read (the
     * short verbs bin/ferry starts with its class-data archive).
     */
    private static final Set<String> CONNECTING = Set.of("launch", "ps", "nodes", "describe", "suspend", "resume",
            "migrate", "terminate", "restart", "forget", "checkpoint", "wait", "logs", "events", "rebalance",
            "node-control");

    /** Verbs that run until stopped and log what they do; every other verb logs only what went wrong. */
    private static final Set<String> DAEMONS = Set.of("local", "zk", "scheduler", "node", "ui");

    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    /** Where a verb's connection comes from when it does not open its own: the shell's, or a helper's pool. */
    interface Connector {
        /** A connection with {@code settings}, which the verb closes when done. */
        Connection connect(io.ferry.coordination.FerrySettings settings);
    }

    private final Connector connector;
    private final Invocation invocation;

    public Ferry() {
        this(null, Invocation.here());
    }

    /**
     * @param connector where verbs get their connections (inside {@code ferry shell} and a {@link Helper}), or null
     *     to connect per verb
     * @param invocation where the command line was typed
     */
    Ferry(Connector connector, Invocation invocation) {
        this.connector = connector;
        this.invocation = invocation;
    }

    Connector connector() {
        return connector;
    }

    Invocation invocation() {
        return invocation;
    }

    public static void main(String[] args) {
        boolean training = ClassDataArchive.training();
        Path helper = Helper.socket(); // set for short verbs by bin/ferry
        Relay.Outcome relayed = helper != null && !training ? Relay.run(helper, args) : Relay.Outcome.ABSENT;
        if (relayed.status() != null) {
            System.exit(relayed.status());
        }
        String verb = verb(args);
        setProperties(verb);
        boolean connecting = verb != null && CONNECTING.contains(verb); // Set.of refuses to look up null
        if (connecting) {
            Warmup.start(verb);
        }
        Map<String, String> flags = EarlyConnection.flags(args);
        if (flags != null && connecting) {
            try {
                io.ferry.coordination.FerrySettings settings = ClusterOptions.settings(flags); // read once, here
                if (io.ferry.coordination.ZkTls.from(settings) == null) {
                    NoDefaultTls.install();
                }
                EarlyConnection.start(flags, settings);
            } catch (RuntimeException unreadable) {
                // nothing early: the verb reads the settings again and says what is wrong with them
            }
        }
        if (training) {
            ClassDataArchive.train();
        }
        ClassDataArchive.dropIfRefused();
        int status = execute(args);
        if (training) {
            ClassDataArchive.finishTraining(status == 0 && Connection.opened() ? flags : null);
        }
        if (helper != null && relayed.noHelper() && status == 0 && Connection.opened()) {
            Helper.start(helper); // for the next command: started by one that worked, not by a typo
        }
        System.exit(status);
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
        return commandLine(null, Invocation.here(), args).execute(args);
    }

    /** {@link #commandLine(Connector, Invocation, String...)} typed in this JVM, each verb connecting itself. */
    static CommandLine commandLine(String... args) {
        return commandLine(null, Invocation.here(), args);
    }

    /**
     * A fully configured command line for {@code args}: with only the verb they name, or every verb when they name
     * none that exists (help, an unknown verb); {@code connector} and {@code invocation} as in
     * {@link #Ferry(Connector, Invocation)}.
     */
    static CommandLine commandLine(Connector connector, Invocation invocation, String... args) {
        CommandLine cl = new CommandLine(new Ferry(connector, invocation));
        String first = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
        Class<?> named = VERBS.get(first);
        Class<?> only = named == CompletionCommand.class ? null : named; // completion completes every verb
        VERBS.forEach((name, type) -> {
            if (only == null || only == type) {
                cl.addSubcommand(name, type);
            }
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler(new UsageErrors());
        // Everything after the class name belongs to the process, flags included.
        for (String verb : List.of("launch", "zkcli")) {
            if (cl.getSubcommands().containsKey(verb)) {
                cl.getSubcommands().get(verb).setStopAtPositional(true);
            }
        }
        return cl;
    }

    /** No command given: the list of commands, on standard error since nothing was done. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /**
     * Refused and failed requests: one line, exit 1. (This and {@link UsageErrors} are classes, not lambdas: picocli's
     * classes are Java 5's, and a lambda of their interfaces keeps all of picocli out of the class-data archive.)
     */
    private static final class Errors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
            cl.getErr().println("ferry: " + Format.printable(message(e)));
            if (Boolean.getBoolean("ferry.debug")) {
                e.printStackTrace(cl.getErr());
            }
            cl.getErr().flush();
            return FAILED;
        }
    }

    /** Bad command lines: one line naming what was wrong and where to read more, exit 2. */
    private static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
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
        }
    }

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
     * Sets what the libraries read as they load, before anything runs: the levels conf/logback.xml reads (client
     * verbs print their own output and errors, so ZooKeeper's and Curator's connection chatter is off for them),
     * and what ZooKeeper's server and picocli look up. Explicit -D settings win.
     */
    static void setProperties(String verb) {
        if (verb == null || !DAEMONS.contains(verb)) {
            setIfAbsent("ferry.log.zk", "OFF");
            // The demo narrates on standard output; its own crash of a node is no news.
            setIfAbsent("ferry.log.level", "demo".equals(verb) ? "ERROR" : "WARN");
            if (!"false".equals(System.getProperty(ClientLogging.CLIENT))) {
                // conf/logback.xml's settings, made in code (-Dferry.log.client=false: the file, parsed)
                setIfAbsent("slf4j.provider", ClientLogging.class.getName());
                setIfAbsent("slf4j.internal.verbosity", "WARN"); // not a line saying which provider was chosen
            }
        }
        // ZooKeeper's server reads this when it starts; no admin web server on port 8080.
        setIfAbsent("zookeeper.admin.enableServer", "false");
        // picocli otherwise looks for Groovy on the class path, opening every jar to find it is not there, and makes
        // converters for java.sql and java.time types no option has (Durations have Ferry's own)
        setIfAbsent("picocli.disable.closures", "true");
        setIfAbsent("picocli.converters.excludes", "java.sql.*,java.time.*");
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
