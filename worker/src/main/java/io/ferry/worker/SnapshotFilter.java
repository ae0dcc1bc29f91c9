package io.ferry.worker;

import java.io.ObjectInputFilter;
import java.security.CodeSource;
import java.util.Objects;

/**
 * What a snapshot may build (a JEP 290 filter, decided before each class is resolved and each array allocated):
 * first of all an instance of the process's own class; then only JDK classes, classes of the process's own jar or
 * class loader, Ferry's api and the classic (default-package) compat classes; never more objects, array elements
 * or bytes than the snapshot's own size could describe, nor deeper than {@link #MAX_DEPTH}. A snapshot holding
 * {@code new long[999999999]} is refused before the array is allocated, and one naming another class before that
 * class is loaded.
 */
final class SnapshotFilter implements ObjectInputFilter {
    static final int MAX_DEPTH = 2000;

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

    @Override
    public Status checkInput(FilterInfo info) {
        if (info.depth() > MAX_DEPTH) {
            return refuse("nested deeper than " + MAX_DEPTH);
        }
        // each array element, object and reference costs at least a byte of the stream
        if (info.arrayLength() > size || info.references() > size) {
            return refuse("it declares more than its " + size + " bytes can hold (an array of " + info.arrayLength()
                    + ")");
        }
        Class<?> c = info.serialClass();
        if (c == null) {
            return Status.UNDECIDED;
        }
        if (first) {
            first = false;
            if (c != process) {
                return refuse("it holds a " + c.getName() + ", not the " + process.getName() + " its spec names");
            }
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive() || allowed(c)) {
            return Status.ALLOWED;
        }
        return refuse("class " + c.getName() + " is neither the JDK's nor the process's own");
    }

    private boolean allowed(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        if (l == null || l == ClassLoader.getPlatformClassLoader()) {
            return true; // the JDK's
        }
        if (c.getName().startsWith("io.ferry.api.") || (c.getPackageName().isEmpty() && seenFrom(l))) {
            return true; // Ferry's api, and the classic default-package classes (compat) beside it
        }
        if (l == loader && loader != Loading.class.getClassLoader()) {
            return true; // defined by the process's own class loader (its --classpath)
        }
        return own != null && Objects.equals(own.getLocation(), codeSource(c) == null ? null
                : codeSource(c).getLocation()); // from the process's own jar or directory
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
