package io.ferry.api;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The directory that relative file names of a process resolve against: the working directory of the node that
 * runs it. A node runs many processes in one JVM, so this is bound per process thread (and inherited by the
 * threads a process starts), not taken from {@code user.dir}. Processes never need to call {@link #bind}.
 */
public final class WorkingDirectory {
    private static final InheritableThreadLocal<Path> CURRENT = new InheritableThreadLocal<>();

    private WorkingDirectory() {}

    /** The directory bound to this thread, or the JVM's working directory when none is bound. */
    public static Path current() {
        Path bound = CURRENT.get();
        return bound != null ? bound : Paths.get("").toAbsolutePath();
    }

    /** Resolves {@code name} against {@link #current()}, normalized and absolute. */
    public static Path resolve(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("file name is empty");
        }
        return current().resolve(name).toAbsolutePath().normalize();
    }

    /** Binds {@code dir} to the calling thread and the threads it starts from now on; {@code null} unbinds. */
    public static void bind(Path dir) {
        if (dir == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(dir.toAbsolutePath().normalize());
        }
    }
}
