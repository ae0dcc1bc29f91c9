package io.ferry.worker;

import java.io.ObjectInputFilter;
import java.security.CodeSource;
import java.util.Objects;

/**
 * What a snapshot may build (a JEP 290 filter, with {@link #mayResolve} called by the stream before each class is
 * resolved): first of all an instance of the process's own class, judged by name before anything is loaded; then
 * only classes of {@code java.*} outside the packages whose objects act as they are read or call out
 * ({@code java.rmi}, {@code java.lang.reflect}, {@code java.beans}), classes of the process's own jar or class
 * loader, Ferry's api and the classic (default-package) compat classes; never a proxy; never more objects or array
 * bytes than the snapshot's own size could describe, nor deeper than {@link #MAX_DEPTH}. A snapshot holding
 * {@code new long[999999999]} is refused before the array is allocated, and one naming another class before that
 * class is loaded.
 */
final class SnapshotFilter implements ObjectInputFilter {
    static final int MAX_DEPTH = 2000;
    private static final java.util.List<String> REFUSED_JDK = java.util.List.of("java.rmi.", "java.lang.reflect.",
            "java.beans.");

    private final Class<?> process;
    private final ClassLoader loader;
    private final CodeSource own;
    private final long size;
    private String refusal;
    private boolean first = true;

    /**
     * @param process the class the spec names: the snapshot must hold one of these
     * @param loader the process's class loader
     * @param size the snapshot's length in bytes
     */
    SnapshotFilter(Class<?> process, ClassLoader loader, long size) {
        this.process = process;
        this.loader = loader;
        this.own = codeSource(process);
        this.size = size;
    }

    /** Why the last class or size was refused, or null. */
    String refusal() {
        return refusal;
    }

    /**
     * Whether the stream may resolve the class named {@code name} (null: a proxy); the first must be the spec's.
     */
    boolean mayResolve(String name) {
        if (name == null) {
            refuse("it holds a proxy, which is never restored");
            return false;
        }
        if (first) {
            first = false;
            if (!name.equals(process.getName())) {
                refuse("it holds a " + name + ", not the " + process.getName() + " its spec names");
                return false;
            }
        }
        return true;
    }

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH) {
            return refuse("nested deeper than " + MAX_DEPTH);
        }
        if (info.references() > size) { // each object and reference costs at least a byte of the stream
            return refuse("it declares more objects than its " + size + " bytes can hold");
        }
        Class<?> c = info.serialClass();
        if (info.arrayLength() >= 0 && c != null
                && info.arrayLength() * elementBytes(c.getComponentType()) > size) {
            return refuse("it declares more than its " + size + " bytes can hold (an array of " + info.arrayLength()
                    + ")");
        }
        if (c == null) {
            return Status.UNDECIDED;
        }
        if (first) {
            return refuse("it holds a " + c.getName() + ", not the " + process.getName() + " its spec names");
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive() || allowed(c)) {
            return Status.ALLOWED;
        }
        return refuse("class " + c.getName() + " is neither an allowed JDK class nor the process's own");
    }

    /** What an element of an array of {@code component} takes in the stream at least: its size for primitives. */
    private static long elementBytes(Class<?> component) {
        if (component == long.class || component == double.class) {
            return 8;
        }
        if (component == int.class || component == float.class) {
            return 4;
        }
        if (component == short.class || component == char.class) {
            return 2;
        }
        return 1; // byte, boolean, and a reference (TC_NULL at the least)
    }

    private boolean allowed(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        if (l == null || l == ClassLoader.getPlatformClassLoader()) {
            String name = c.getName();
            return name.startsWith("java.") && REFUSED_JDK.stream().noneMatch(name::startsWith);
        }
        if (c.getName().startsWith("io.ferry.api.") || (c.getPackageName().isEmpty() && seenFrom(l))) {
            return true; // Ferry's api, and the classic default-package classes (compat) beside it
        }
        if (l == loader && loader != Loading.class.getClassLoader()) {
            return true; // defined by the process's own class loader (its --classpath)
        }
        CodeSource theirs = codeSource(c); // from the process's own jar or directory
        return own != null && Objects.equals(own.getLocation(), theirs == null ? null : theirs.getLocation());
    }

    /** Whether {@code l} is the process's loader or one it delegates to. */
    private boolean seenFrom(ClassLoader l) {
        for (ClassLoader at = loader; at != null; at = at.getParent()) {
            if (at == l) {
                return true;
            }
        }
        return false;
    }

    private static CodeSource codeSource(Class<?> c) {
        return c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
    }

    private Status refuse(String why) {
        if (refusal == null) {
            refusal = why;
        }
        return Status.REJECTED;
    }
}
