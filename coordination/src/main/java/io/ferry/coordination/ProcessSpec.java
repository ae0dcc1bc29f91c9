package io.ferry.coordination;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a process: fixed at launch.
 *
 * @param className fully qualified name of a {@code MigratableProcess} (default-package names are allowed)
 * @param classpath jars or directories that hold the class, as seen by every node; empty means the node's own
 * @param labels node labels the process requires
 * @param node the node the process is pinned to, or null to let the scheduler choose
 * @param checkpointEveryMs how often the node snapshots it, or null for the node's default
 * @param isolation whether it runs in a JVM of its own or in its node's, or null for the node's default
 * @param memoryBytes the heap limit of its JVM (isolation {@code JVM}), or null for the node's default
 * @param restart what happens when it fails on its node, or null for the node's default
 */
public record ProcessSpec(String name, String className, List<String> args, List<String> classpath,
        Map<String, String> labels, String node, Long checkpointEveryMs, Isolation isolation, Long memoryBytes,
        RestartPolicy restart) {

    /** Where a process's code runs. */
    public enum Isolation {
        /** In its node's JVM, on a thread: cheap, for many small trusted processes. */
        THREAD,
        /** In a JVM of its own, started by its node: nothing it does can take the node down. */
        JVM
    }

    /** The smallest heap limit a process may ask for. */
    public static final long MIN_MEMORY_BYTES = 16L << 20;

    public ProcessSpec(String name, String className, List<String> args, List<String> classpath,
            Map<String, String> labels, String node, Long checkpointEveryMs) {
        this(name, className, args, classpath, labels, node, checkpointEveryMs, null, null);
    }

    public ProcessSpec(String name, String className, List<String> args, List<String> classpath,
            Map<String, String> labels, String node, Long checkpointEveryMs, Isolation isolation, Long memoryBytes) {
        this(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, null);
    }

    public ProcessSpec {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("A process needs a class name");
        }
        args = args == null ? List.of() : List.copyOf(args);
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (node != null) {
            Names.checkNode(node);
        }
        if (checkpointEveryMs != null && checkpointEveryMs < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + checkpointEveryMs);
        }
        if (memoryBytes != null && memoryBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("A heap limit must be at least 16 MB, got " + memoryBytes + " bytes");
        }
        name = name == null || name.isBlank() ? simpleName(className) : name;
    }

    public static ProcessSpec of(String className, String... args) {
        return new ProcessSpec(null, className, List.of(args), List.of(), Map.of(), null, null);
    }

    public ProcessSpec withNode(String node) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, restart);
    }

    public ProcessSpec withLabels(Map<String, String> labels) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, restart);
    }

    public ProcessSpec withClasspath(List<String> classpath) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, restart);
    }

    public ProcessSpec withName(String name) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, restart);
    }

    public ProcessSpec withCheckpointEveryMs(Long checkpointEveryMs) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, restart);
    }

    public ProcessSpec withIsolation(Isolation isolation, Long memoryBytes) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, restart);
    }

    public ProcessSpec withRestart(RestartPolicy restart) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs, isolation, memoryBytes, restart);
    }

    /** Class and arguments, the way a person would type them. */
    public String commandLine() {
        return args.isEmpty() ? className : className + " " + String.join(" ", args);
    }

    private static String simpleName(String className) {
        Objects.requireNonNull(className);
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
