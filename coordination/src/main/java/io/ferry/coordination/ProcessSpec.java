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
 */
public record ProcessSpec(String name, String className, List<String> args, List<String> classpath,
        Map<String, String> labels, String node, Long checkpointEveryMs) {

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
        name = name == null || name.isBlank() ? simpleName(className) : name;
    }

    public static ProcessSpec of(String className, String... args) {
        return new ProcessSpec(null, className, List.of(args), List.of(), Map.of(), null, null);
    }

    public ProcessSpec withNode(String node) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs);
    }

    public ProcessSpec withLabels(Map<String, String> labels) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs);
    }

    public ProcessSpec withClasspath(List<String> classpath) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs);
    }

    public ProcessSpec withName(String name) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs);
    }

    public ProcessSpec withCheckpointEveryMs(Long checkpointEveryMs) {
        return new ProcessSpec(name, className, args, classpath, labels, node, checkpointEveryMs);
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
