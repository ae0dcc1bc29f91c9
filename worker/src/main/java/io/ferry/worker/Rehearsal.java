package io.ferry.worker;

import io.ferry.api.MigratableProcess;
import io.ferry.api.TransactionalFileOutputStream;
import io.ferry.worker.Wire.Frame;
import io.ferry.worker.Wire.Type;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A worker's warm-up: what a real session will run, done once ahead of need, so that the code it needs is loaded,
 * linked and partly compiled before a real process comes (a pool's worker, before it says READY) or written into the
 * class-data archive (a training run). Cold, a worker spent about 18 ms between reading a START and beginning the
 * restore, most of it loading and linking the serving path.
 *
 * <p>It plays the agent's side of whole sessions against a {@link Worker} in this JVM, over a real Unix-domain
 * socket: START, RUN, SUSPEND, AWAIT_SUSPEND, SERIALIZE, SYNC, CLOSE, the second session restoring the first's
 * snapshot as the target of a migration does; then the snapshot round trip many times, for the JIT's first tier.
 */
final class Rehearsal {
    /** Round trips of the snapshot: enough for the JIT's first tier to compile serialization's paths. */
    private static final int ROUNDS = 300;
    /** Sessions played: the first from args, the others each from the one before's snapshot. */
    static final int SESSIONS = 3;
    /** How long the whole rehearsal may take before it is given up: a failed warm-up costs only speed. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private Rehearsal() {}

    static void warmUp() throws Exception {
        Path dir = Files.createTempDirectory("ferry-warm");
        ExecutorService driver = Executors.newSingleThreadExecutor(r -> Worker.daemon(r, "ferry-warm"));
        try {
            Future<byte[]> sessions = driver.submit(() -> sessions(dir));
            byte[] snapshot;
            try {
                snapshot = sessions.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                sessions.cancel(true);
            }
            roundTrips(snapshot);
            Class.forName("java.nio.channels.ServerSocketChannel");
        } finally {
            driver.shutdownNow();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Plays {@link #SESSIONS} sessions; returns the last snapshot. */
    static byte[] sessions(Path dir) throws IOException, InterruptedException {
        Launch launch = new Launch("warm-up", Trainee.class.getName(), List.of("out"), List.of(), dir.toString());
        byte[] snapshot = null;
        for (int i = 0; i < SESSIONS; i++) {
            snapshot = session(dir, new Start("warm-up", launch, Duration.ofMillis(100), LIMIT, snapshot));
        }
        return snapshot;
    }

    private static byte[] session(Path dir, Start start) throws IOException, InterruptedException {
        Path socket = dir.resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel workerEnd = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                workerEnd.connect(UnixDomainSocketAddress.of(socket));
                try (SocketChannel agentEnd = server.accept()) {
                    Worker worker = Worker.rehearsing(new Wire(Sockets.in(workerEnd), Sockets.out(workerEnd)));
                    Thread serving = Worker.daemon(worker::session, "ferry-warm-worker");
                    serving.start();
                    try {
                        return play(new Wire(Sockets.in(agentEnd), Sockets.out(agentEnd)), start);
                    } finally {
                        worker.stop();
                        serving.join(LIMIT.toMillis());
                    }
                }
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    /** The agent's side of one session, as a migration's source and then its target see it. */
    private static byte[] play(Wire agent, Start start) throws IOException {
        agent.send(Type.START, start.payload());
        if (!await(agent, Type.STARTED).readBoolean()) {
            throw new IOException("The warm-up process did not start");
        }
        agent.send(Type.RUN);
        agent.send(Type.SUSPEND, Wire.payload().bool(false));
        agent.send(Type.AWAIT_SUSPEND, Wire.payload().number(LIMIT.toMillis()));
        await(agent, EnumSet.of(Type.SUSPEND_AWAITED, Type.RAN));
        agent.send(Type.SERIALIZE);
        var serialized = await(agent, Type.SERIALIZED);
        if (!serialized.readBoolean()) {
            throw new IOException("The warm-up process did not serialize: " + Wire.text(serialized));
        }
        byte[] snapshot = Wire.blob(serialized);
        agent.send(Type.SYNC);
        await(agent, Type.SYNCED);
        agent.send(Type.CLOSE);
        return snapshot;
    }

    private static java.io.DataInputStream await(Wire agent, Type reply) throws IOException {
        return await(agent, EnumSet.of(reply));
    }

    /** Reads frames until one of each of {@code replies} has come; returns the last one's data. */
    private static java.io.DataInputStream await(Wire agent, Set<Type> replies) throws IOException {
        Set<Type> left = EnumSet.copyOf(replies);
        while (true) {
            Frame f = agent.read();
            if (f.type() != Type.OUT && !left.remove(f.type())) {
                throw new IOException("The warm-up worker said " + f.type() + " where " + left + " was awaited");
            }
            if (left.isEmpty()) {
                return f.data();
            }
        }
    }

    /** Restores and serializes the snapshot, and frames it, {@link #ROUNDS} times. */
    private static void roundTrips(byte[] snapshot) throws IOException, Unstartable {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Wire wire = new Wire(new ByteArrayInputStream(new byte[0]), sink);
        wire.send(Type.OUT, Wire.payload().number(1).blob(new byte[1]).text("x").texts(List.of("y")));
        Loading loading = new Loading(Worker.class.getClassLoader());
        for (int i = 0; i < ROUNDS; i++) {
            Loading.serialize(loading.deserialize(snapshot, Trainee.class.getName(), Worker.class.getClassLoader()));
            wire.send(Type.SERIALIZED, Wire.payload().bool(true).blob(snapshot).text(Trainee.class.getName()));
            sink.reset();
        }
    }

    /**
     * What the warm-up runs: a process that writes a line through a transactional stream in each run() and waits for
     * its suspend(), as a classic process loops until it is asked to stop.
     */
    public static final class Trainee implements MigratableProcess {
        private static final long serialVersionUID = 1L;
        private final TransactionalFileOutputStream out;
        private int runs;
        private transient boolean suspending;

        public Trainee(String[] args) throws IOException {
            out = new TransactionalFileOutputStream(args[0]);
        }

        @Override
        public void run() {
            try {
                out.write(("run " + ++runs + "\n").getBytes(StandardCharsets.UTF_8));
                synchronized (this) {
                    while (!suspending) {
                        wait();
                    }
                    suspending = false;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public synchronized void suspend() {
            suspending = true;
            notifyAll();
        }
    }
}
