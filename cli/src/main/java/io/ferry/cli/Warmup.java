package io.ferry.cli;

import io.ferry.coordination.Assignment;
import io.ferry.coordination.Json;
import io.ferry.coordination.NodeInfo;
import io.ferry.coordination.ProcessRecord;
import io.ferry.coordination.ProcessStatus;
import java.util.List;

/**
 * Readies, on a thread of its own, what a short command's connection and first reads wait for, while picocli reads
 * the command line and the connection opens ({@link EarlyConnection}): java.util.logging and the JDK's locale data
 * (Curator's client sets both up as it is built: its shaded Guava logs through java.util.logging, which looks for a
 * logging service in every jar, and names its threads with {@code String.format}), and Jackson's readers of the
 * records {@code verb} reads. Each was on the critical path, one after the other, 40 to 60 ms together.
 */
final class Warmup {
    private Warmup() {}

    static void start(String verb) {
        List<Class<?>> reads = verb.equals("nodes") ? List.of(NodeInfo.class, Assignment.class)
                : List.of(ProcessRecord.class, ProcessStatus.class);
        Thread warm = new Thread(() -> run(reads), "ferry-warmup");
        warm.setDaemon(true);
        warm.start();
    }

    private static void run(List<Class<?>> reads) {
        try {
            java.util.logging.LogManager.getLogManager();
            String.format("%d", 0);
            for (Class<?> type : reads) {
                Json.mapper().readerFor(type);
            }
        } catch (RuntimeException | LinkageError ignored) {
            // only time is lost: whoever needs it sets it up
        }
    }
}
