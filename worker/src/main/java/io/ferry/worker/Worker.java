package io.ferry.worker;

import io.ferry.worker.Wire.Frame;
import io.ferry.worker.Wire.Type;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The main class of a worker JVM: one copy of one process, driven by its node agent over a local socket. What the
 * process prints goes back over the socket as {@link Type#OUT} frames; the JVM ends when the agent says so, when
 * the agent goes away (a node killed with -9 leaves no worker behind), when the process ends it, or when the agent
 * has not been heard from for the lease it gave: an agent frozen past its ZooKeeper session (a stopped VM) has
 * had its processes started elsewhere, and this copy must not run beside the new one.
 *
 * <p>Usage: {@code Worker SOCKET [--warm]}, where SOCKET is the path of the agent's Unix-domain socket for this
 * worker; {@code --warm} (a pool's worker, started ahead of need) runs a small process through a copy before it
 * says READY, so a real one finds the code it needs loaded and compiled.
 */
public final class Worker {
    /** A process's own threads get stacks this deep, as in the node (deeply recursive classic processes). */
    private static final long PROCESS_STACK_BYTES = 16L << 20;

    private final Wire wire;
    /** Builds, serializes and syncs the copy: process code, so with a process thread's deep stack. */
    private final ExecutorService control = Executors.newSingleThreadExecutor(
            r -> new Thread(null, r, "ferry-worker-control", PROCESS_STACK_BYTES));
    private final ExecutorService helpers = Executors.newCachedThreadPool(r -> daemon(r, "ferry-worker-helper"));
    private final Framed out;
    private final Framed err;
    private volatile boolean closing;
    /** When the agent was last heard from ({@link System#nanoTime}). */
    private volatile long heard = System.nanoTime();
    private volatile LocalCopy copy;
    /** Whether this is a {@link Rehearsal}'s worker, whose end is not the JVM's. */
    private final boolean rehearsal;

    private Worker(Wire wire, boolean rehearsal) {
        this.wire = wire;
        this.rehearsal = rehearsal;
        this.out = new Framed(wire, 1);
        this.err = new Framed(wire, 2);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(TRAIN)) {
            train();
            return;
        }
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals(WARM))) {
            System.err.println("usage: Worker SOCKET [" + WARM + "] (started by a Ferry node, not by hand)");
            System.exit(2);
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(args[0]));
        Worker worker = new Worker(new Wire(Sockets.in(channel), Sockets.out(channel)), false);
        worker.serve(args.length == 2);
    }

    /** The argument of a worker started ahead of need, which warms up before it says READY. */
    public static final String WARM = "--warm";

    /** The argument of a training run, which loads what a worker uses so a class-data archive can hold it. */
    public static final String TRAIN = "--train";

    /**
     * Loads and exercises what a worker uses ({@link Rehearsal}), then exits: run with
     * {@code -XX:ArchiveClassesAtExit}, it leaves an archive that later workers map at start.
     */
    private static void train() throws Exception {
        Rehearsal.warmUp();
        System.exit(0); // the archive is written as the JVM exits
    }

    /** A worker that serves one rehearsed session in this JVM: at CLOSE it stops instead of ending the JVM. */
    static Worker rehearsing(Wire wire) {
        return new Worker(wire, true);
    }

    private void serve(boolean warm) throws IOException {
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        Thread flusher = daemon(this::flushEvery, "ferry-worker-output");
        flusher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::exiting, "ferry-worker-exit"));
        if (warm) {
            try {
                Rehearsal.warmUp();
            } catch (Exception e) {
                // a warm-up that fails costs only speed: the process's own start says what is wrong
            }
        }
        wire.send(Type.READY, Wire.payload().number(ProcessHandle.current().pid()));
        session();
    }

    /** Serves frames until CLOSE; a real worker's JVM ends there, or when the agent goes away. */
    void session() {
        try {
            while (handle(wire.read())) {
                // next frame
            }
        } catch (IOException agentGone) {
            end(1); // no worker outlives its agent
        }
    }

    /** Acts on one frame from the agent; false at CLOSE. */
    private boolean handle(Frame f) throws IOException {
        heard = System.nanoTime();
        DataInputStream in = f.data();
        switch (f.type()) {
            case START -> {
                Start start = Start.read(in);
                daemon(() -> watch(start.lease()), "ferry-worker-lease").start();
                control.execute(() -> start(start));
            }
            case RUN -> {
                copy.beginRun(); // before the next frame is read: a SUSPEND right behind applies to this run
                new Thread(null, this::run, "ferry-proc", PROCESS_STACK_BYTES).start();
            }
            case SUSPEND -> {
                boolean terminate = in.readBoolean();
                if (copy != null) {
                    copy.suspend(terminate);
                }
            }
            case AWAIT_SUSPEND -> {
                Duration timeout = Duration.ofMillis(in.readLong());
                control.execute(() -> reply(Type.SUSPEND_AWAITED, () -> {
                    copy.awaitSuspendCall(timeout);
                    return null;
                }));
            }
            case SERIALIZE -> control.execute(this::serialize);
            case SYNC -> control.execute(() -> reply(Type.SYNCED, () -> Wire.payload().text(copy.sync())));
            case LEASE -> {
                // heard: nothing else to do
            }
            case CLOSE -> {
                closing = true;
                if (copy != null) {
                    copy.close();
                }
                flushOutput();
                end(0); // at once: no thread the process started runs on
                return false;
            }
            default -> throw new IOException("Unexpected frame " + f.type());
        }
        return true;
    }

    /**
     * Ends this worker: a real one's JVM at once; a rehearsal's threads, so that its failure ends only its session,
     * which the rehearsal then gives up.
     */
    private void end(int status) {
        if (!rehearsal) {
            Runtime.getRuntime().halt(status);
        }
        stop();
    }

    /** Stops a rehearsal's threads. */
    void stop() {
        closing = true;
        control.shutdownNow();
        helpers.shutdownNow();
    }

    private void start(Start start) {
        reply(Type.STARTED, () -> {
            copy = new LocalCopy(start.pid(), new Loading(Worker.class.getClassLoader()), helpers,
                    start.outputFlush(), LocalCopy.Context.NONE);
            try {
                copy.start(start.launch(), start.snapshot());
                return Wire.payload().bool(true);
            } catch (Unstartable e) {
                return Wire.payload().bool(false).text(e.getMessage());
            }
        });
    }

    private void run() {
        Ran ran = copy.run();
        reply(Type.RAN, () -> Wire.payload().number(ran.outcome().ordinal()).text(ran.detail()));
    }

    private void serialize() {
        reply(Type.SERIALIZED, () -> {
            try {
                return Wire.payload().bool(true).blob(copy.serialize()).text(copy.className());
            } catch (IOException | RuntimeException | StackOverflowError e) {
                return Wire.payload().bool(false).text(e.toString());
            }
        });
    }

    private interface Reply {
        Wire.Payload make() throws Exception;
    }

    /** Sends a reply after what the process printed so far, so its output arrives first. */
    private void reply(Type type, Reply reply) {
        try {
            Wire.Payload payload = reply.make();
            flushOutput();
            wire.send(type, payload);
        } catch (Exception e) {
            end(1); // the agent is gone, or this worker is broken
        }
    }

    /** Ends this JVM when the agent has not been heard from for {@code lease}. */
    private void watch(Duration lease) {
        while (!closing) {
            java.util.concurrent.locks.LockSupport.parkNanos(lease.toNanos() / 4); // a periodic check
            if (!closing && System.nanoTime() - heard > lease.toNanos()) {
                end(1);
            }
        }
    }

    private void flushOutput() {
        out.flush();
        err.flush();
    }

    private void flushEvery() {
        while (true) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // a periodic flush, not a wait
            flushOutput();
        }
    }

    /** A shutdown hook: the process (or a signal) ended the JVM. Tells the agent who, if it was the process. */
    private void exiting() {
        if (closing) {
            return;
        }
        flushOutput();
        try {
            wire.send(Type.EXITING, Wire.payload().text(exitCaller()));
        } catch (IOException agentGone) {
            // nothing to tell
        }
    }

    /** "System.exit in Foo.run" when a thread is inside System.exit or Runtime.exit, else null (a signal). */
    private static String exitCaller() {
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (int i = 0; i < stack.length; i++) {
                if (stack[i].getClassName().equals("java.lang.Runtime") && stack[i].getMethodName().equals("exit")) {
                    for (int j = i + 1; j < stack.length; j++) {
                        String cls = stack[j].getClassName();
                        if (!cls.startsWith("java.")) {
                            String simple = cls.substring(cls.lastIndexOf('.') + 1);
                            return "System.exit in " + simple + "." + stack[j].getMethodName();
                        }
                    }
                    return "System.exit";
                }
            }
        }
        return null;
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** What the process prints to one of its standard streams, buffered and sent as OUT frames. */
    private static final class Framed extends OutputStream {
        private final Wire wire;
        private final int stream;
        private final byte[] buffer = new byte[8192];
        private int size;

        Framed(Wire wire, int stream) {
            this.wire = wire;
            this.stream = stream;
        }

        @Override
        public synchronized void write(int b) {
            if (size == buffer.length) {
                flush();
            }
            buffer[size++] = (byte) b;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (size == buffer.length) {
                    flush();
                }
                int n = Math.min(len, buffer.length - size);
                System.arraycopy(b, off, buffer, size, n);
                size += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public synchronized void flush() {
            if (size == 0) {
                return;
            }
            try {
                wire.send(Type.OUT, Wire.payload().number(stream).blob(java.util.Arrays.copyOf(buffer, size)));
            } catch (IOException agentGone) {
                // the reader sees the agent gone and ends the JVM
            }
            size = 0;
        }
    }
}
