package io.ferry.cli;

import io.ferry.coordination.Assignment;
import io.ferry.coordination.Avoidance;
import io.ferry.coordination.Cordon;
import io.ferry.coordination.Json;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.ProcessRecord;
import io.ferry.coordination.ProcessStatus;
import io.ferry.coordination.ProcessView;
import io.ferry.coordination.SnapshotMeta;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The class-data archive bin/ferry gives short commands: trained by the first one after an install or a build that
 * reaches the cluster and works ({@code -Dferry.train=LIST}, the file {@code -XX:DumpLoadedClassList} writes; bin/ferry
 * then writes the archive from it), and dropped by a command whose JVM refused it ({@code -Dferry.cli.archive}), so
 * that the next one trains a new one.
 */
final class ClassDataArchive {
    /** The class list a training command writes, named by bin/ferry. */
    private static final String TRAIN = "ferry.train";
    /** The archive this JVM was given, named by bin/ferry. */
    static final String ARCHIVE = "ferry.cli.archive";

    private ClassDataArchive() {}

    static boolean training() {
        return System.getProperty(TRAIN) != null;
    }

    /**
     * After the training command: with {@code flags} (it worked, and connected with them), runs the other read-only
     * verbs; without, or when they cannot connect, deletes the class list, so that bin/ferry writes no archive and the
     * next command trains again (one that failed at once, a typo or {@code --help}, loaded too little to keep).
     */
    static void finishTraining(Map<String, String> flags) {
        if (flags == null || !rehearse(flags)) {
            try {
                Files.deleteIfExists(Path.of(System.getProperty(TRAIN)));
            } catch (IOException | RuntimeException e) {
                // bin/ferry writes an archive from it after all: a slower one, until the jars change
            }
        }
    }

    /**
     * Before the command: loads a relay's classes, each verb's command model, and the readers of every record ZooKeeper
     * holds.
     */
    static void train() {
        Relay.rehearse(); // the training command runs in-process, and its successors go through the helper
        for (CommandLine verb : Ferry.commandLine().getSubcommands().values()) {
            verb.getCommandSpec(); // not a method reference: see Ferry.Errors
        }
        for (Class<?> type : List.of(ProcessRecord.class, ProcessStatus.class, NodeInfo.class, Assignment.class,
                SnapshotMeta.class, Cordon.class, Avoidance.class)) {
            Json.mapper().readerFor(type);
        }
    }

    /**
     * Runs the verbs that only read, their output discarded, so that the archive holds what they load too whichever
     * verb made it (a class outside it costs its jar's opening); false when the cluster cannot be read.
     */
    private static boolean rehearse(Map<String, String> flags) {
        String some;
        try (Connection c = Connection.open(ClusterOptions.settings(flags))) {
            some = c.client().list(true).stream().map(ProcessView::pid).findFirst().orElse(null);
        } catch (RuntimeException gone) {
            return false;
        }
        List<List<String>> lines = new ArrayList<>(List.of(List.of("ps", "--all"), List.of("ps", "--json"),
                List.of("nodes"), List.of("events", "--limit", "5")));
        if (some != null) {
            lines.add(List.of("describe", some));
            lines.add(List.of("logs", some));
        }
        List<String> cluster = new ArrayList<>();
        if (flags.get(ClusterOptions.ZK) != null) {
            cluster.addAll(List.of("--zk", flags.get(ClusterOptions.ZK)));
        }
        if (flags.get(ClusterOptions.TIMEOUT) != null) {
            cluster.addAll(List.of("--connect-timeout", flags.get(ClusterOptions.TIMEOUT)));
        }
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        for (List<String> line : lines) {
            String[] words = Stream.concat(line.stream(), cluster.stream()).toArray(String[]::new);
            Ferry.commandLine(words).setOut(nowhere).setErr(nowhere).execute(words);
        }
        return true;
    }

    /**
     * Deletes the archive bin/ferry named ({@code -Dferry.cli.archive}) when this JVM did not map it: it was made by
     * another Java or from other jars.
     */
    static void dropIfRefused() {
        String archive = System.getProperty(ARCHIVE);
        if (archive != null && !System.getProperty("java.vm.info", "").contains("sharing")) {
            try {
                Files.deleteIfExists(Path.of(archive));
            } catch (IOException | RuntimeException keep) {
                // not ours to delete: it stays unused
            }
        }
    }
}
