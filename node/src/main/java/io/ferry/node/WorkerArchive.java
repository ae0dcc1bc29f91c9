package io.ferry.node;

import io.ferry.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-data archive (AppCDS) that worker JVMs map at start, so each loads the classes a worker uses from one
 * shared, pre-parsed file instead of parsing them again. Built once per Java and classpath, on first use, by a
 * training run of the worker ({@code -XX:ArchiveClassesAtExit}); kept in a directory only this user can open
 * ({@code ~/.cache/ferry}), since a JVM runs what an archive holds. A JVM that cannot use it starts without it.
 */
final class WorkerArchive {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerArchive.class);

    /** A training run failed in this JVM: not tried again until it restarts. */
    private static boolean failed;

    private WorkerArchive() {}

    /**
     * Where the archive for this Java and classpath is, built or not. The key holds each jar's size and time: a JVM
     * refuses an archive whose jars have changed since, so an upgrade in place gets an archive of its own.
     */
    static Path path() {
        StringBuilder key = new StringBuilder(System.getProperty("java.home")).append('|')
                .append(System.getProperty("java.vm.version"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(entry);
            key.append('|').append(entry).append(':').append(f.length()).append(':').append(f.lastModified());
        }
        return Path.of(System.getProperty("user.home"), ".cache", "ferry",
                "worker-" + UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8)) + ".jsa");
    }

    /** The archive's path when it is built, else null. */
    static Path ready() {
        Path p = path();
        return Files.isRegularFile(p) ? p : null;
    }

    /**
     * Builds the archive unless it is there (once per JVM at a time: several nodes of one JVM share it); logs and
     * carries on when it cannot, and workers then start without.
     */
    static synchronized void build() {
        Path archive = path();
        if (failed || Files.isRegularFile(archive)) {
            return;
        }
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                LOG.debug("Worker JVMs start without a class-data archive: the classpath holds a directory ({})",
                        entry); // as in a build tree; an archive holds classes from jars only
                failed = true;
                return;
            }
        }
        Path tmp = null;
        try {
            Path dir = Files.createDirectories(archive.getParent());
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // best effort elsewhere
            }
            tmp = Files.createTempFile(dir, "worker-", ".jsa.tmp");
            Files.delete(tmp); // the JVM creates it
            long started = System.nanoTime();
            Process p = new ProcessBuilder(WorkerJvm.java(), "-XX:ArchiveClassesAtExit=" + tmp, "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), Worker.class.getName(), Worker.TRAIN)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warn("Worker JVMs start without a class-data archive: building it took over 120 s");
                return;
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(tmp)) {
                failed = true;
                LOG.warn("Worker JVMs start without a class-data archive: its training run ended with status {}",
                        p.exitValue());
                return;
            }
            Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("Built the worker JVMs' class-data archive {} in {} ms", archive,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            LOG.warn("Worker JVMs start without a class-data archive: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }
}
