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

    private Worker(Wire wire) {
        this.wire = wire;
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
        Worker worker = new Worker(new Wire(Sockets.in(channel), Sockets.out(channel)));
        worker.serve(args.length == 2);
    }

    private static final int WARM_UP_ROUNDS = 300;

    /** The argument of a worker started ahead of need, which warms up before it says READY. */
    public static final String WARM = "--warm";

    /** The argument of a training run, which loads what a worker uses so a class-data archive can hold it. */
    public static final String TRAIN = "--train";

    /**
     * Loads and exercises what a worker uses (the wire, a copy, the transactional streams, serialization), then
     * exits: run with {@code -XX:ArchiveClassesAtExit}, it leaves an archive that later workers map at start.
     */
    private static void train() throws Exception {
        warmUp();
        System.exit(0); // the archive is written as the JVM exits
    }

    /**
     * Runs a small process through a copy once (construct, run, serialize, sync, restore), so that what a real one
     * needs is loaded and linked before it comes: a pool worker does this before it says READY, off the critical
     * path of a launch or a move.
     */
    private static void warmUp() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ferry-train");
        ExecutorService helpers = Executors.newCachedThreadPool(r -> daemon(r, "ferry-train"));
        try {
            java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
            Wire wire = new Wire(new java.io.ByteArrayInputStream(new byte[0]), sink);
            wire.send(Type.OUT, Wire.payload().number(1).blob(new byte[1]).text("x").texts(java.util.List.of("y")));
            LocalCopy copy = new LocalCopy("train", new Loading(Worker.class.getClassLoader()), helpers,
                    Duration.ofMillis(100), LocalCopy.Context.NONE);
            copy.start(new Launch("train", Trainee.class.getName(), java.util.List.of("out"),
                    java.util.List.of(), dir.toString()), null);
            copy.run();
            byte[] bytes = copy.serialize();
            copy.sync();
            copy.close();
            Loading loading = new Loading(Worker.class.getClassLoader());
            for (int i = 0; i < WARM_UP_ROUNDS; i++) { // enough for the JIT's first tier to compile these paths
                Loading.serialize(loading.deserialize(bytes, Trainee.class.getName(), Worker.class.getClassLoader()));
                wire.send(Type.SERIALIZED, Wire.payload().bool(true).blob(bytes).text(Trainee.class.getName()));
                sink.reset();
            }
            Class.forName("java.nio.channels.ServerSocketChannel");
            Class.forName("java.net.UnixDomainSocketAddress");
        } finally {
            helpers.shutdownNow();
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** What a training run runs: a process that writes a line through a transactional stream. */
    public static final class Trainee implements io.ferry.api.MigratableProcess {
        private static final long serialVersionUID = 1L;
        private final io.ferry.api.TransactionalFileOutputStream out;

        public Trainee(String[] args) throws IOException {
            out = new io.ferry.api.TransactionalFileOutputStream(args[0]);
        }

        @Override
        public void run() {
            try {
                out.write("trained\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void suspend() {}
    }

    /** The file roots of a START: null when its files may be anywhere. */
    private static List<String> confined(DataInputStream in) throws IOException {
        boolean confined = in.readBoolean();
        List<String> roots = Wire.texts(in);
        return confined ? roots : null;
    }

    private void serve(boolean warm) throws IOException {
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        Thread flusher = daemon(this::flushEvery, "ferry-worker-output");
        flusher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::exiting, "ferry-worker-exit"));
        if (warm) {
            try {
                warmUp();
            } catch (Exception e) {
                // a warm-up that fails costs only speed: the process's own start says what is wrong
            }
        }
        wire.send(Type.READY, Wire.payload().number(ProcessHandle.current().pid()));
        while (true) {
            Frame f;
            try {
                f = wire.read();
            } catch (IOException agentGone) {
                Runtime.getRuntime().halt(1); // no worker outlives its agent
                return;
            }
            heard = System.nanoTime();
            DataInputStream in = f.data();
            switch (f.type()) {
                case START -> {
                    String pid = Wire.text(in);
                    Launch launch = new Launch(Wire.text(in), Wire.text(in), Wire.texts(in), Wire.texts(in),
                            Wire.text(in), confined(in));
                    Duration flush = Duration.ofMillis(in.readLong());
                    Duration lease = Duration.ofMillis(in.readLong());
                    byte[] snapshot = Wire.blob(in);
                    daemon(() -> watch(lease), "ferry-worker-lease").start();
                    control.execute(() -> start(pid, launch, flush, snapshot));
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
                case SERIALIZE -> control.execute(() -> serialize());
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
                    Runtime.getRuntime().halt(0); // at once: no thread the process started runs on
                }
                default -> throw new IOException("Unexpected frame " + f.type());
            }
        }
    }

    private void start(String pid, Launch launch, Duration flush, byte[] snapshot) {
        reply(Type.STARTED, () -> {
            copy = new LocalCopy(pid, new Loading(Worker.class.getClassLoader()), helpers, flush,
                    LocalCopy.Context.NONE);
            try {
                copy.start(launch, snapshot);
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
            Runtime.getRuntime().halt(1); // the agent is gone, or this worker is broken: end it
        }
    }

    /** Ends this JVM when the agent has not been heard from for {@code lease}. */
    private void watch(Duration lease) {
        while (true) {
            java.util.concurrent.locks.LockSupport.parkNanos(lease.toNanos() / 4); // a periodic check
            if (System.nanoTime() - heard > lease.toNanos()) {
                closing = true;
                Runtime.getRuntime().halt(1);
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

    private static Thread daemon(Runnable r, String name) {
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
