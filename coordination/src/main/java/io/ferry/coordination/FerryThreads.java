package io.ferry.coordination;

/**
 * Ferry's own threads. Executors create their threads lazily, from whichever thread submits first, and a thread
 * inherits its creator's inheritable thread-locals: a log shipper first used by a process thread would carry that
 * process's output binding and working directory for ever. So every Ferry thread is made here, with no inherited
 * thread-locals and Ferry's own class loader as its context.
 */
public final class FerryThreads {
    private FerryThreads() {}

    /**
     * The stack of a thread that runs process code: as deep as a main thread's and more, so that restoring a deeply
     * nested state meets the deserialization filter's depth limit before it runs out of stack. Reserved, not
     * committed: it costs address space only.
     */
    public static final long PROCESS_STACK_BYTES = 16L << 20;

    /** A daemon thread named {@code name} that inherits nothing from the thread that creates it. */
    public static Thread daemon(Runnable body, String name) {
        return daemon(body, name, 0);
    }

    /** Likewise, with a stack of {@code stackBytes} (0: the JVM's default). */
    public static Thread daemon(Runnable body, String name, long stackBytes) {
        Thread t = new Thread(null, body, name, stackBytes, false);
        t.setDaemon(true);
        t.setContextClassLoader(FerryThreads.class.getClassLoader());
        return t;
    }

    /** A factory of such daemon threads, named {@code prefix-1}, {@code prefix-2}, ... */
    public static java.util.concurrent.ThreadFactory factory(String prefix) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> daemon(r, prefix + "-" + n.incrementAndGet());
    }
}
