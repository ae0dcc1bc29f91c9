package io.ferry.worker;

import io.ferry.api.MigratableProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a launch or a snapshot into a live {@link MigratableProcess}, and a process back into bytes. Each process
 * with a classpath of its own gets a fresh class loader, so new process code needs no node restart;
 * deserialization resolves classes through that loader, under a filter that bounds what a snapshot may build.
 */
public final class Loading {
    /** Where short names of the bundled examples resolve ({@code GrepProcess} -> this package). */
    public static final String EXAMPLES_PACKAGE = "io.ferry.examples.";

    private final ClassLoader parent;

    /** @param parent the parent of every process class loader (holds the api, compat and examples) */
    public Loading(ClassLoader parent) {
        this.parent = parent;
    }

    /** The loader for a launch's classpath (relative entries resolve against its working directory). */
    public ClassLoader loaderFor(Launch launch) throws Unstartable {
        if (launch.classpath().isEmpty()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : launch.classpath()) {
            Path p = Path.of(launch.workdir()).resolve(entry).normalize();
            if (!Files.exists(p)) {
                throw new Unstartable("Classpath entry " + p + " does not exist on this node");
            }
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new Unstartable("Bad classpath entry " + entry + ": " + e.getMessage());
            }
        }
        return new URLClassLoader("ferry-" + launch.name(), urls.toArray(URL[]::new), parent);
    }

    /** Constructs the process from its args: {@code X(String[])} first, a no-arg constructor when no args. */
    public MigratableProcess construct(Launch launch, ClassLoader loader) throws Unstartable {
        Class<? extends MigratableProcess> type = processClass(launch.className(), loader);
        String[] args = launch.args().toArray(String[]::new);
        try {
            Constructor<? extends MigratableProcess> ctor;
            Object[] ctorArgs;
            try {
                ctor = type.getConstructor(String[].class);
                ctorArgs = new Object[] {args};
            } catch (NoSuchMethodException noArray) {
                if (args.length > 0) {
                    throw new Unstartable(type.getName() + " has no public constructor taking String[] args");
                }
                ctor = type.getConstructor();
                ctorArgs = new Object[0];
            }
            return ctor.newInstance(ctorArgs);
        } catch (InvocationTargetException e) {
            // an IllegalArgumentException is the usage line (PROCESS-AUTHORS.md); anything else says what it was
            Throwable cause = e.getCause();
            String why = cause.getClass() == IllegalArgumentException.class && cause.getMessage() != null
                    ? cause.getMessage() : whyUnstartable(cause);
            throw new Unstartable(why, cause);
        } catch (NoSuchMethodException e) {
            throw new Unstartable(type.getName() + " has no public constructor taking String[] args");
        } catch (ReflectiveOperationException e) {
            throw new Unstartable("Cannot construct " + type.getName() + ": " + e);
        }
    }

    private static Class<? extends MigratableProcess> processClass(String name, ClassLoader loader)
            throws Unstartable {
        Class<?> c;
        try {
            c = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            if (name.indexOf('.') >= 0) {
                throw new Unstartable("Unknown class " + name + " (is it on the classpath? use --classpath)");
            }
            try {
                c = Class.forName(EXAMPLES_PACKAGE + name, false, loader);
            } catch (ClassNotFoundException | LinkageError e2) {
                throw new Unstartable("Unknown class " + name + " (is it on the classpath? use --classpath)");
            }
        }
        if (!MigratableProcess.class.isAssignableFrom(c)) {
            throw new Unstartable(c.getName() + " is not a MigratableProcess");
        }
        if (Modifier.isAbstract(c.getModifiers())) {
            throw new Unstartable(c.getName() + " is abstract");
        }
        return c.asSubclass(MigratableProcess.class);
    }

    /** Why a start failed with {@code e} (thrown by process code or by loading its classes), in one line. */
    public static String whyUnstartable(Throwable e) {
        Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() != null ? cause.getMessage() : "";
        if (e instanceof ExceptionInInitializerError) {
            return "a static initializer threw " + cause.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
        }
        if (e instanceof NoClassDefFoundError) {
            return "class " + message + " is not on this node's classpath (is --classpath right, and the same on"
                    + " every node?)";
        }
        return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    public static byte[] serialize(MigratableProcess process) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(process);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores a process of class {@code className} (as its spec names it) from a snapshot, under a
     * {@link SnapshotFilter}: the snapshot must hold that class, and may build nothing else but what it needs.
     *
     * @throws Unstartable saying why the snapshot cannot be turned back into a process
     */
    public MigratableProcess deserialize(byte[] bytes, String className, ClassLoader loader) throws Unstartable {
        SnapshotFilter filter = new SnapshotFilter(processClass(className, loader), loader, bytes.length);
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader, filter)) {
            ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
            in.setObjectInputFilter(jvmWide == null ? filter : ObjectInputFilter.merge(filter, jvmWide));
            Object o = in.readObject(); // the stream and the filter let only the spec's class be first
            if (!(o instanceof MigratableProcess p)) {
                throw new Unstartable("Snapshot refused: it holds " + (o == null ? "no process (null)"
                        : "a " + o.getClass().getName() + ", not the " + className + " its spec names"));
            }
            return p;
        } catch (ClassNotFoundException e) {
            throw new Unstartable("Cannot restore snapshot: class " + e.getMessage() + " not found on this node");
        } catch (java.io.InvalidClassException e) {
            if (filter.refusal() != null) {
                throw new Unstartable("Snapshot refused: " + filter.refusal());
            }
            throw new Unstartable("Cannot restore snapshot: " + e.getMessage()
                    + " (the class changed incompatibly since the snapshot)");
        } catch (IOException | RuntimeException e) {
            throw new Unstartable("Cannot restore snapshot: " + e);
        }
    }

    /**
     * Resolves a snapshot's classes in the process's loader; the first must be the spec's, judged by name before
     * anything is loaded (the filter sees a class only once it is resolved). Proxies are never restored.
     */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;
        private final SnapshotFilter filter;

        LoaderObjectInputStream(InputStream in, ClassLoader loader, SnapshotFilter filter) throws IOException {
            super(in);
            this.loader = loader;
            this.filter = filter;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (!filter.mayResolve(desc.getName())) {
                throw new java.io.InvalidClassException(desc.getName(), filter.refusal());
            }
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitives and arrays of them
            }
        }

        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) throws java.io.InvalidClassException {
            filter.mayResolve(null);
            throw new java.io.InvalidClassException("proxy", filter.refusal());
        }
    }
}
