package io.ferry.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The directory that relative file names of a process resolve against: the working directory of the node that
 * runs it, and where its files may be. A node runs many processes in one JVM, so this is bound per process thread
 * (and inherited by the threads a process starts), not taken from {@code user.dir}. Processes never need to call
 * {@link #bind}.
 *
 * <p>A node with {@code ferry.node.fileRoots} set confines its processes' files to the working directory and those
 * roots: {@link #resolve} refuses any other path (after {@code ..} and symbolic links), so the transactional
 * streams cannot be opened, or restored, on a file elsewhere.
 */
public final class WorkingDirectory {
    /** The setting that names the roots, for messages. */
    public static final String FILE_ROOTS = "ferry.node.fileRoots";

    /** What a thread is bound to: the directory, and the roots files must be under (null: anywhere). */
    private record Place(Path dir, List<Path> roots) {}

    private static final InheritableThreadLocal<Place> CURRENT = new InheritableThreadLocal<>();

    private WorkingDirectory() {}

    /** The directory bound to this thread, or the JVM's working directory when none is bound. */
    public static Path current() {
        Place bound = CURRENT.get();
        return bound != null ? bound.dir() : Paths.get("").toAbsolutePath();
    }

    /**
     * Resolves {@code name} against {@link #current()}, normalized and absolute.
     *
     * @throws SecurityException naming the path and the setting when the thread is confined and it is elsewhere
     */
    public static Path resolve(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("file name is empty");
        }
        return check(current().resolve(name));
    }

    /**
     * Checks that {@code path} may be used by this thread's process: anywhere when it is not confined.
     *
     * @return the path, absolute and normalized
     * @throws SecurityException naming the path and the setting when it is outside the directory and the roots
     */
    public static Path check(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Place bound = CURRENT.get();
        if (bound == null || bound.roots() == null) {
            return p;
        }
        if (!isWithin(p, bound.dir()) && bound.roots().stream().noneMatch(root -> isWithin(p, root))) {
            throw new SecurityException("File " + p + " is outside this node's work directory " + bound.dir()
                    + (bound.roots().isEmpty() ? "" : " and " + FILE_ROOTS + " " + bound.roots())
                    + "; use a path inside it, or add its directory to " + FILE_ROOTS + " on the nodes");
        }
        return p;
    }

    /**
     * Whether {@code path} is {@code root} or under it, after {@code ..} and symbolic links: the real path of its
     * deepest existing ancestor (a link counts as existing), with the rest appended, against the real path of the
     * root. A path through a link that leads nowhere is not within anything: opening it would create its target.
     */
    public static boolean isWithin(Path path, Path root) {
        Path p = real(path);
        Path r = real(root);
        return p != null && r != null && p.startsWith(r);
    }

    /** The real path of {@code path} as far as it exists, the rest appended; null through a dangling link. */
    private static Path real(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path existing = p;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException dangling) {
            return null;
        }
    }

    /**
     * Checks a path restored from a snapshot: it must be absolute and normal (as the streams store it), so that the
     * file opened is the one {@link #check} judged, and allowed.
     *
     * @throws java.io.InvalidObjectException when it is not; SecurityException when it is outside
     */
    public static void checkRestored(String path) throws java.io.InvalidObjectException {
        Path p = Path.of(path);
        if (!p.isAbsolute() || !p.normalize().equals(p)) {
            throw new java.io.InvalidObjectException("restored file name " + path + " is not absolute and normal");
        }
        check(p);
    }

    /** Binds {@code dir} to the calling thread and the threads it starts from now on; {@code null} unbinds. */
    public static void bind(Path dir) {
        bind(dir, null);
    }

    /**
     * Binds {@code dir} as {@link #bind(Path)} does, confining files to it and {@code roots}; null roots: files may
     * be anywhere.
     */
    public static void bind(Path dir, List<Path> roots) {
        if (dir == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(new Place(dir.toAbsolutePath().normalize(), roots == null ? null
                    : roots.stream().map(r -> r.toAbsolutePath().normalize()).toList()));
        }
    }
}
