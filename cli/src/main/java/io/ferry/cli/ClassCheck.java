package io.ferry.cli;

import io.ferry.api.MigratableProcess;
import io.ferry.coordination.FerryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before a launch writes anything, that the class names a {@code MigratableProcess}, by the same rules a
 * node loads it: the spec's classpath over Ferry's own jars, and short names of the bundled examples. It only
 * judges what this machine can see: a classpath entry that is not here (it may exist only on the nodes) leaves
 * the judgement to the node, which reports it as the process's failure.
 */
final class ClassCheck {
    private static final String EXAMPLES_PACKAGE = "io.ferry.examples.";

    private ClassCheck() {}

    /** @throws FerryException saying what is wrong with {@code className} */
    static void verify(String className, List<String> classpath, Invocation typed) {
        List<URL> urls = new ArrayList<>();
        for (String entry : classpath) {
            Path p = typed.resolve(entry);
            if (!Files.exists(p)) {
                return;
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new FerryException("Bad classpath entry " + entry + ": " + e.getMessage());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassCheck.class.getClassLoader())) {
            Class<?> c = find(className, loader);
            if (c == null) {
                throw new FerryException("Unknown class " + className + " (is it on the classpath? use --classpath)");
            }
            if (!MigratableProcess.class.isAssignableFrom(c)) {
                throw new FerryException(c.getName() + " is not a MigratableProcess (implement "
                        + MigratableProcess.class.getName() + ")");
            }
            if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
                throw new FerryException(c.getName() + " is abstract: launch a concrete class");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> find(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            if (name.indexOf('.') >= 0) {
                return null;
            }
            try {
                return Class.forName(EXAMPLES_PACKAGE + name, false, loader);
            } catch (ClassNotFoundException | LinkageError e2) {
                return null;
            }
        }
    }
}
