package io.ferry.cli;

import io.ferry.coordination.Durations;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.ProcessSpec;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.RestartPolicy;
import java.io.File;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "launch", mixinStandardHelpOptions = true,
        description = {"Starts a process on the cluster and prints its pid alone on standard output.",
            "CLASS implements io.ferry.api.MigratableProcess and has a public constructor taking String[] ARGS;"
                    + " short names of the bundled examples work too (GrepProcess). Relative file names in ARGS"
                    + " resolve against the working directory of the node that runs it."})
final class LaunchCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(names = "--node", paramLabel = "NODE", description = "Run it on this node only")
    String node;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Run it only on nodes with this label")
    Map<String, String> labels = Map.of();

    @Option(names = "--classpath", paramLabel = "CP",
            description = "Jars and directories holding CLASS, separated by ':' (';' on Windows), as every"
                    + " node sees them (relative ones resolve against the node's working directory)")
    String classpath;

    @Option(names = "--checkpoint-every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Snapshot it this often (default: ferry.node.checkpointEvery of its node; 0 for never)")
    Duration checkpointEvery;

    @Option(names = "--isolation", paramLabel = "jvm|thread",
            description = "Run it in a JVM of its own (jvm: nothing it does can take its node down) or on a thread of"
                    + " its node's JVM (thread: cheaper, for many small trusted processes); default:"
                    + " ferry.node.isolation of its node, jvm")
    String isolation;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "The heap limit of its JVM, such as 256m or 1g (default: ferry.node.memory, 256m)")
    String memory;

    @Option(names = "--restart", paramLabel = "POLICY", converter = RestartConverter.class,
            description = "never, or on-failure[:N]: when it fails (its run() throws, or it cannot start), start it"
                    + " again from its latest snapshot up to N times (default 3), waiting longer each time"
                    + " (default: ferry.node.restart of its node, never)")
    RestartPolicy restart;

    /** picocli's error then names the option and the accepted forms. */
    static final class RestartConverter implements picocli.CommandLine.ITypeConverter<RestartPolicy> {
        @Override
        public RestartPolicy convert(String value) {
            try {
                return RestartPolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--name", paramLabel = "NAME", description = "A name for people (default: the class's)")
    String name;

    @Option(names = "--wait", description = "Wait until it runs, or say why it could not start")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Parameters(index = "0", paramLabel = "CLASS", description = "The process class")
    String className;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments")
    List<String> args = List.of();

    private ProcessSpec.Isolation isolation() {
        if (isolation == null) {
            return null;
        }
        try {
            return ProcessSpec.Isolation.valueOf(isolation.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FerryException("--isolation must be jvm or thread, not '" + isolation + "'");
        }
    }

    private Long memoryBytes() {
        if (memory == null) {
            return null;
        }
        try {
            long bytes = io.ferry.coordination.ByteSizes.parse(memory);
            if (bytes < ProcessSpec.MIN_MEMORY_BYTES) {
                throw new IllegalArgumentException("--memory must be at least 16m, not '" + memory + "'");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new FerryException(e.getMessage().startsWith("--memory") ? e.getMessage()
                    : "--memory: " + e.getMessage());
        }
    }

    /** Waits until it runs; a process still waiting for a node says what it waits for. */
    private void awaitStart(FerryClient client, String pid) {
        try {
            // A short process may be done before we look: that counts as having run.
            client.await(pid, null, s -> s.state() == ProcessState.RUNNING || s.state() == ProcessState.COMPLETED,
                    "start", timeout);
        } catch (FerryException e) {
            ProcessStatus s = client.describe(pid).status();
            if (s != null && s.state() == ProcessState.PENDING && s.error() != null) {
                throw new FerryException(pid + " is still PENDING after " + Durations.format(timeout) + ": "
                        + s.error() + " (see 'ferry nodes')");
            }
            throw e;
        }
    }

    /**
     * Refuses, before writing, an absolute classpath entry outside {@code ferry.node.classpathRoots} when this
     * machine's settings name them (the nodes' own check decides relative entries, against their work directory).
     */
    private void checkClasspathRoots(List<String> cp) {
        List<java.nio.file.Path> roots = io.ferry.node.NodePolicy.roots(cluster.settings()
                .get(io.ferry.node.NodePolicy.CLASSPATH_ROOTS, io.ferry.node.NodePolicy.ANYWHERE));
        if (roots == null) {
            return;
        }
        for (String entry : cp) {
            java.nio.file.Path p = java.nio.file.Path.of(entry);
            if (p.isAbsolute() && roots.stream().noneMatch(r -> io.ferry.api.WorkingDirectory.isWithin(p, r))) {
                throw new FerryException("Classpath entry " + p.normalize() + " is outside "
                        + io.ferry.node.NodePolicy.CLASSPATH_ROOTS + " " + roots + ", so nodes would refuse it; put it"
                        + " under one of them, or in the nodes' work directory with a relative path");
            }
        }
    }

    @Override
    public Integer call() {
        List<String> cp = classpath == null || classpath.isBlank() ? List.of()
                : List.of(classpath.split(File.pathSeparator));
        ProcessSpec process = new ProcessSpec(name, className, args, cp, labels, node,
                checkpointEvery == null ? null : checkpointEvery.toMillis(), isolation(), memoryBytes(), restart);
        checkClasspathRoots(cp);
        ClassCheck.verify(className, cp, cluster.invocation());
        PrintWriter out = spec.commandLine().getOut();
        try (Connection c = cluster.connect()) {
            FerryClient client = c.client();
            String pid = client.launch(process);
            out.println(pid);
            out.flush();
            if (await) {
                awaitStart(client, pid);
            }
            return 0;
        }
    }
}
