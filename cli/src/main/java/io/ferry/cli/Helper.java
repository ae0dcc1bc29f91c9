package io.ferry.cli;

import io.ferry.coordination.Durations;
import io.ferry.coordination.FerrySettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;

/**
 * A warm JVM that runs short commands for one user: a short command otherwise spends nearly all its time starting a
 * JVM, loading classes and opening a ZooKeeper session, and through a helper only the first. There is one per
 * installation, Java and environment that shapes a JVM (time zone, locale, JVM options: {@link #socket}), on a Unix
 * socket in a directory only its user can open, and it runs a command only for a client of that same user (the
 * kernel says who connected), with the environment and directory the client sends, so that a command means what it
 * means in-process; it keeps one ZooKeeper session per set of settings it was asked for. It refuses, and the client
 * runs the command itself, when its installation's jars changed (it then stops) or when it is busy. It stops after
 * {@code FERRY_HELPER_IDLE} (10m) without a command, when its socket is deleted, or on {@code ferry helper stop}.
 *
 * <p>Threads: the accepting thread (main), one thread per command with one more that notices its client leaving
 * (which interrupts the command, as Ctrl-C ends it in-process), and a ticker that stops the helper and closes
 * sessions nobody used for a minute.
 */
final class Helper {
    /** Set by bin/ferry for short verbs: the directory of the helpers' sockets; absent, no helper is used. */
    static final String DIR = "ferry.helper";
    static final Duration IDLE = Duration.ofMinutes(10);
    /** Commands at once; a client beyond them runs its own. */
    static final int MAX_RUNNING = 16;
    private static final int MAX_PATH = 107;
    /** The client's environment that shapes a JVM: a client whose differ runs its own command. */
    private static final Set<String> JVM_SHAPING = Set.of("TZ", "LANG", "LANGUAGE", "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "FERRY_JAVA_OPTS");

    private static volatile Helper running;

    private final Path socket;
    private final Duration idle;
    private final Map<String, String> shaping = shaping(System.getenv());
    private final List<String> build = build();
    private final Pool pool = new Pool();
    private final Instant started = Instant.now();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong lastEnded = new AtomicLong(System.nanoTime());
    private final AtomicInteger numbers = new AtomicInteger();
    private volatile ServerSocketChannel server;
    private volatile boolean stopping;

    private Helper(Path socket, Duration idle) {
        this.socket = socket;
        this.idle = idle;
    }

    /** The helper this JVM is, or null. */
    static Helper running() {
        return running;
    }

    /** {@code ferry.helper}'s socket for this installation, Java and JVM options, or null when none is to be used. */
    static Path socket() {
        String dir = System.getProperty(DIR);
        if (dir == null || dir.isBlank()) {
            return null;
        }
        String named = System.getProperty("java.class.path") + '\n' + System.getProperty("java.home") + '\n'
                + shaping(System.getenv());
        Path socket = Path.of(dir, "h_" + Integer.toHexString(named.hashCode()) + ".sock").toAbsolutePath();
        // Linux binds no socket path over 107 bytes: with a cache that deep, no helper (not one failing per command)
        return socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_PATH ? socket : null;
    }

    /** Where the helper of {@code socket} writes what it logs. */
    static Path log(Path socket) {
        return socket.resolveSibling(socket.getFileName().toString().replace(".sock", ".log"));
    }

    /**
     * Starts a helper for {@code socket} behind this command, out of its terminal's session (so closing the
     * terminal leaves it running), with this JVM's class path and class-data archive; it exits at once if another
     * already serves there.
     */
    static void start(Path socket) {
        try {
            Files.createDirectories(socket.getParent());
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.add(ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m", "-XX:-UsePerfData",
                    "-Xshare:auto"));
            String archive = System.getProperty(ClassDataArchive.ARCHIVE);
            if (archive != null) {
                command.add("-XX:SharedArchiveFile=" + archive);
            }
            String options = System.getenv("FERRY_JAVA_OPTS"); // split as bin/ferry splits it
            if (options != null && !options.isBlank()) {
                command.addAll(Arrays.asList(options.trim().split("\\s+")));
            }
            command.addAll(List.of("-Dferry.home=" + Home.dir(), "-cp", System.getProperty("java.class.path"),
                    Helper.class.getName(), socket.toString()));
            new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(log(socket).toFile()).start();
        } catch (IOException | RuntimeException e) {
            // no helper: the next command runs in-process as this one did, and tries again
        }
    }

    /** {@code Helper SOCKET}: serves there until idle; exits 0 at once when another helper does. */
    public static void main(String[] args) throws Exception {
        Streams.install();
        Ferry.setProperties("ps"); // what a client verb runs with
        Path socket = Path.of(args[0]).toAbsolutePath();
        Duration idle = idle(System.getenv("FERRY_HELPER_IDLE"));
        ownOnly(socket.getParent());
        try (FileChannel lockFile = FileChannel.open(socket.resolveSibling(socket.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lock(lockFile);
            if (lock == null) {
                return; // another helper serves here
            }
            running = new Helper(socket, idle);
            running.serve();
        }
    }

    private static Duration idle(String text) {
        try {
            return text == null || text.isBlank() ? IDLE : Durations.parse(text);
        } catch (IllegalArgumentException e) {
            System.err.println("ferry helper: FERRY_HELPER_IDLE: " + e.getMessage() + "; using " + Durations.format(IDLE));
            return IDLE;
        }
    }

    /** The lock of the socket's directory entry, waiting a little for a helper that is stopping; null if held. */
    private static FileLock lock(FileChannel lockFile) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            FileLock lock = lockFile.tryLock();
            if (lock != null || System.nanoTime() > deadline) {
                return lock;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000); // the lock offers no wait with a deadline
        }
    }

    /** Makes {@code dir} this user's alone, or refuses to serve from it. */
    private static void ownOnly(Path dir) throws IOException {
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(owner));
        Files.setPosixFilePermissions(dir, owner);
        String user = System.getProperty("user.name");
        if (!Files.getOwner(dir).getName().equals(user)) {
            throw new IOException(dir + " belongs to " + Files.getOwner(dir).getName() + ", not " + user
                    + ": no helper serves from it");
        }
    }

    private void serve() throws IOException, InterruptedException {
        Files.deleteIfExists(socket); // left by a helper that was killed: we hold the lock
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        Object inode = inode();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ferry-helper-ticker"));
        ticker.scheduleWithFixedDelay(() -> tick(inode), 1, 1, TimeUnit.SECONDS);
        ClassDataArchive.train(); // each verb's model, and the readers of the records: the first command is quick too
        System.err.println("ferry helper: pid " + ProcessHandle.current().pid() + " serving on " + socket);
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                break; // stopping
            }
            if (!sameUser(client)) {
                client.close();
                continue;
            }
            daemon(() -> answer(client), "ferry-helper-" + numbers.incrementAndGet()).start();
        }
        synchronized (this) {
            while (active.get() > 0) {
                wait(); // the commands running end as they would, a follower when its client leaves
            }
        }
        if (inode.equals(inode())) {
            Files.deleteIfExists(socket);
        }
        pool.closeAll();
        System.err.println("ferry helper: stopped after " + served.get() + " commands");
        System.exit(0);
    }

    private Object inode() throws IOException {
        return Files.exists(socket)
                ? Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey() : null;
    }

    /** Whether the client is this helper's user, as the kernel tells. */
    private static boolean sameUser(SocketChannel client) {
        try {
            String user = client.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
            if (user.equals(System.getProperty("user.name"))) {
                return true;
            }
            System.err.println("ferry helper: refused a client of user " + user);
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("ferry helper: refused a client whose user is unknown: " + e);
        }
        return false;
    }

    /** Runs one client's command, or refuses it. */
    private void answer(SocketChannel client) {
        try (client) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)));
            HelperWire.Request request;
            try {
                request = HelperWire.read(new DataInputStream(new BufferedInputStream(Channels.newInputStream(client))));
            } catch (IOException e) {
                refuse(out, "unreadable request: " + e.getMessage());
                return;
            }
            String refusal = refusal(request);
            if (refusal != null || active.incrementAndGet() > MAX_RUNNING) {
                if (refusal == null) {
                    active.decrementAndGet();
                }
                refuse(out, refusal != null ? refusal : "busy: " + MAX_RUNNING + " commands running");
                return;
            }
            try {
                synchronized (out) {
                    out.writeByte(HelperWire.STARTED);
                    out.flush();
                }
                int status = run(request, out, client);
                synchronized (out) {
                    out.writeByte(HelperWire.EXIT);
                    out.writeInt(status);
                    out.flush();
                }
            } finally {
                served.incrementAndGet();
                lastEnded.set(System.nanoTime());
                synchronized (this) {
                    active.decrementAndGet();
                    notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client left; its command was interrupted
        }
    }

    /** Why this helper will not run {@code request}, or null. */
    private String refusal(HelperWire.Request request) {
        if (stopping) {
            return "stopping";
        }
        if (!build.equals(build())) {
            stop(); // a new build: a new helper serves it
            return "the installation's jars changed";
        }
        Map<String, String> theirs = shaping(request.typed().env());
        return theirs.equals(shaping) ? null : "the client's JVM would differ: " + theirs + " here " + shaping;
    }

    private static void refuse(DataOutputStream out, String why) throws IOException {
        System.err.println("ferry helper: refused a command: " + why);
        byte[] b = why.getBytes(Charset.defaultCharset());
        HelperWire.frame(out, HelperWire.REFUSED, b, 0, b.length);
    }

    /** Runs the command with its output framed to the client; its exit status. */
    private int run(HelperWire.Request request, DataOutputStream out, SocketChannel client) {
        String[] args = request.args().toArray(String[]::new);
        Thread command = Thread.currentThread();
        Thread watcher = daemon(() -> {
            try {
                while (client.read(ByteBuffer.allocate(1)) >= 0) {
                    // a client sends nothing after its request
                }
                command.interrupt(); // it left: Ctrl-C, or killed
            } catch (IOException closed) {
                // the command ended and its channel was closed
            }
        }, command.getName() + "-client");
        watcher.start();
        PrintStream stdout = new PrintStream(HelperWire.frames(out, HelperWire.OUT), true, Charset.defaultCharset());
        PrintStream stderr = new PrintStream(HelperWire.frames(out, HelperWire.ERR), true, Charset.defaultCharset());
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(stdout, Charset.defaultCharset()), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(stderr, Charset.defaultCharset()), true);
        Streams.bind(stdout, stderr);
        try {
            return Ferry.commandLine(pool, request.typed(), args).setOut(outWriter).setErr(errWriter).execute(args);
        } finally {
            outWriter.flush(); // what a command printed without flushing, as a JVM's exit would not lose
            errWriter.flush();
            Streams.bind(null, null);
        }
    }

    private void tick(Object inode) {
        try {
            boolean idleTooLong = active.get() == 0 && System.nanoTime() - lastEnded.get() > idle.toNanos();
            if (idleTooLong || !inode.equals(inode()) || !build.equals(build())) {
                stop();
            }
            pool.closeUnused(Duration.ofMinutes(1));
        } catch (IOException | RuntimeException e) {
            System.err.println("ferry helper: " + e);
        }
    }

    /** Takes no more commands, and exits once those running have ended ({@code ferry helper stop}, and idle). */
    void stop() {
        stopping = true;
        try {
            server.close(); // the accepting thread goes on to the end
        } catch (IOException e) {
            // closed already
        }
    }

    /** What {@code ferry helper status} shows. */
    record Status(long pid, String socket, long started, long served, int running, String idleExit,
            List<Session> sessions) {}

    /** A ZooKeeper session the helper holds. */
    record Session(String connect, boolean connected) {}

    Status status() {
        return new Status(ProcessHandle.current().pid(), socket.toString(), started.toEpochMilli(), served.get(),
                active.get() - 1 /* not the one asking */, Durations.format(idle), pool.sessions());
    }

    /** What of a client's environment shapes its JVM ({@link #JVM_SHAPING} and the locale's LC_*), sorted. */
    static Map<String, String> shaping(Map<String, String> env) {
        Map<String, String> s = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) { // no lambda: a relay would spin its class at start
            if (JVM_SHAPING.contains(e.getKey()) || e.getKey().startsWith("LC_")) {
                s.put(e.getKey(), e.getValue());
            }
        }
        return s;
    }

    /** The jars this JVM runs, each with its size and time: a rebuild changes them under the same paths. */
    private static List<String> build() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            jars.add(stamp(entry));
        }
        return jars;
    }

    /** A file as a rebuild or a rotation changes it: its path, size and time. */
    private static String stamp(String path) {
        File f = new File(path);
        return path + ' ' + f.length() + ' ' + f.lastModified();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * The ZooKeeper sessions of a helper, one per set of settings (and the state of the files they name: a new
     * password or certificate gets a new session); a session that lost its server is opened again as a command
     * would, so that a command says what it says in-process when ZooKeeper cannot be reached.
     */
    static final class Pool implements Ferry.Connector {
        private static final int MAX = 8;

        private record Key(FerrySettings settings, List<String> files) {
            static Key of(FerrySettings settings) {
                List<String> files = new ArrayList<>();
                for (String name : settings.names()) {
                    if (name.endsWith("File")) {
                        files.add(name + ' ' + stamp(settings.get(name)));
                    }
                }
                return new Key(settings, files);
            }
        }

        private static final class Pooled {
            final Connection connection;
            final String connect;
            volatile long used = System.nanoTime();

            Pooled(Connection connection, String connect) {
                this.connection = connection;
                this.connect = connect;
            }

            boolean connected() {
                return connection.curator().getZookeeperClient().isConnected();
            }
        }

        private final Map<Key, Pooled> open = new LinkedHashMap<>();

        @Override
        public Connection connect(FerrySettings settings) {
            Key key = Key.of(settings);
            Pooled pooled;
            synchronized (this) {
                pooled = open.get(key);
                if (pooled != null && !pooled.connected()) {
                    open.remove(key);
                    pooled.connection.close();
                    pooled = null;
                }
            }
            if (pooled == null) {
                Pooled made = new Pooled(Connection.open(settings), settings.connectString());
                synchronized (this) {
                    pooled = open.putIfAbsent(key, made);
                    if (pooled != null) {
                        made.connection.close();
                    } else {
                        pooled = made;
                        while (open.size() > MAX) {
                            Key oldest = open.keySet().iterator().next();
                            open.remove(oldest).connection.close();
                        }
                    }
                }
            }
            pooled.used = System.nanoTime();
            return pooled.connection.borrowed();
        }

        synchronized void closeUnused(Duration unused) {
            open.values().removeIf(p -> {
                boolean old = System.nanoTime() - p.used > unused.toNanos();
                if (old) {
                    p.connection.close();
                }
                return old;
            });
        }

        synchronized void closeAll() {
            open.values().forEach(p -> p.connection.close());
            open.clear();
        }

        synchronized List<Session> sessions() {
            return open.values().stream().map(p -> new Session(p.connect, p.connected())).toList();
        }
    }

    /**
     * System.out and System.err of a helper: the command's of the thread writing (and of the threads it starts),
     * else the helper's log. Code that prints directly, and logging, reach the client as they would in-process.
     */
    static final class Streams {
        private static final InheritableThreadLocal<PrintStream[]> CURRENT = new InheritableThreadLocal<>();

        private Streams() {}

        static void install() {
            PrintStream log = System.err;
            System.setOut(new PrintStream(to(0, log), true));
            System.setErr(new PrintStream(to(1, log), true));
        }

        static void bind(PrintStream out, PrintStream err) {
            if (out == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(new PrintStream[] {out, err});
            }
        }

        private static OutputStream to(int which, PrintStream log) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    target().write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    target().write(b, off, len);
                }

                @Override
                public void flush() {
                    target().flush();
                }

                private PrintStream target() {
                    PrintStream[] bound = CURRENT.get();
                    return bound != null ? bound[which] : log;
                }
            };
        }
    }
}
