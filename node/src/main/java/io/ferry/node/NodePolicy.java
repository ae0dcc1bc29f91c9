package io.ferry.node;

import io.ferry.api.WorkingDirectory;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.SnapshotKey;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a node trusts: whose snapshots it restores, and where a process's classes and files may be.
 *
 * @param snapshotKey the cluster's key, which every snapshot this node stores is signed with and every one it
 *     restores must verify under; null for an unsecured cluster (CRC only)
 * @param classpathRoots where a launch's classpath entries may be besides the work directory; null: anywhere
 * @param fileRoots where a process's transactional streams may open files besides the work directory; null:
 *     anywhere
 */
public record NodePolicy(SnapshotKey snapshotKey, List<Path> classpathRoots, List<Path> fileRoots) {
    public static final String CLASSPATH_ROOTS = "ferry.node.classpathRoots";
    public static final String FILE_ROOTS = WorkingDirectory.FILE_ROOTS;
    /** The value of a roots setting that confines nothing. */
    public static final String ANYWHERE = "*";

    /** An unsecured cluster's: any snapshot that passes its CRC, classes and files from anywhere. */
    public static final NodePolicy OPEN = new NodePolicy(null, null, null);

    public NodePolicy {
        classpathRoots = classpathRoots == null ? null : List.copyOf(classpathRoots);
        fileRoots = fileRoots == null ? null : List.copyOf(fileRoots);
    }

    /** @throws FerryException when a file the settings name cannot be used */
    public static NodePolicy from(FerrySettings settings) {
        String keyFile = settings.get(SnapshotKey.FILE, "").trim();
        return new NodePolicy(keyFile.isEmpty() ? null : SnapshotKey.read(Path.of(keyFile)),
                roots(settings.get(CLASSPATH_ROOTS, ANYWHERE)), roots(settings.get(FILE_ROOTS, ANYWHERE)));
    }

    /** {@code *}: anywhere (null); otherwise comma-separated directories, none meaning the work directory only. */
    public static List<Path> roots(String value) {
        String v = value.trim();
        if (v.equals(ANYWHERE)) {
            return null;
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).toAbsolutePath().normalize()).toList();
    }

    /**
     * Checks a launch's classpath: each entry, resolved against {@code workdir}, must be under it or a classpath
     * root.
     *
     * @throws FerryException naming the entry and the setting
     */
    void checkClasspath(List<String> classpath, Path workdir) {
        if (classpathRoots == null) {
            return;
        }
        for (String entry : classpath) {
            Path p = workdir.resolve(entry).toAbsolutePath().normalize();
            if (!WorkingDirectory.isWithin(p, workdir)
                    && classpathRoots.stream().noneMatch(root -> WorkingDirectory.isWithin(p, root))) {
                throw new FerryException("Classpath entry " + p + " is outside this node's work directory " + workdir
                        + (classpathRoots.isEmpty() ? "" : " and " + CLASSPATH_ROOTS + " " + classpathRoots)
                        + "; put it there, or add its directory to " + CLASSPATH_ROOTS + " on the nodes");
            }
        }
    }

    /** The file roots as a launch carries them, or null. */
    List<String> fileRootNames() {
        return fileRoots == null ? null : fileRoots.stream().map(Path::toString).toList();
    }
}
