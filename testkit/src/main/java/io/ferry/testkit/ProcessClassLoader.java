package io.ferry.testkit;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;

/**
 * A fresh, child-first class loader for a process's own code, as a node that has never seen the process would
 * have: the process's classes (and their static state) are defined anew, while the JDK, {@code io.ferry.api} and
 * the default-package compat types come from the parent, so a restored process still is an
 * {@code io.ferry.api.MigratableProcess} to the probe.
 */
final class ProcessClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final List<String> SHARED_PACKAGES =
            List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "io.ferry.api.");
    /** The classic default-package types of ferry-compat. */
    private static final Set<String> SHARED_CLASSES =
            Set.of("MigratableProcess", "TransactionalFileInputStream", "TransactionalFileOutputStream");

    /** {@code codeSource} may be null (no isolation: everything comes from the parent). */
    ProcessClassLoader(URL codeSource, ClassLoader parent) {
        super("ferry-probe", codeSource == null ? new URL[0] : new URL[] {codeSource}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                try {
                    type = findClass(name);
                } catch (ClassNotFoundException notOurs) {
                    return super.loadClass(name, resolve);
                }
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    private static boolean isShared(String name) {
        if (SHARED_CLASSES.contains(name)) {
            return true;
        }
        for (String prefix : SHARED_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
