package io.ferry.cli.bench;

import io.ferry.coordination.FerryClient.Ticket;
import io.ferry.coordination.ProcessState;
import io.ferry.coordination.ProcessStatus;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Time from the client's migrate call to RUNNING on the target, per state size, against the ZooKeeper round trip
 * and against moving the same object over a plain TCP socket between two threads (serialize, send, receive,
 * deserialize), as the original socket-based system did. Also counts ZooKeeper write transactions per migration
 * (the difference of {@code mzxid} around it).
 */
final class MigrateScenario implements Scenario {
    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public List<BenchResult> run(Sizes sizes) throws Exception {
        int runs = sizes.runsOr(sizes.migrateRuns());
        List<BenchResult> out = new ArrayList<>();
        try (BenchCluster c = BenchCluster.start(2, 2, sizes.sessionTimeout())) {
            Stats floor = c.zkRoundTrip(Math.max(runs, sizes.zkRuns()));
            boolean first = true;
            for (int bytes : sizes.migrateBytes()) {
                String pid = c.client.launch(BenchCluster.idle(bytes));
                c.client.awaitRunning(pid, null, BenchCluster.WAIT);
                // warm-up: class loading on both nodes, and, before the first size, the JIT compiling the path
                for (int i = first ? Math.max(runs, 20) : 1; i > 0; i--) {
                    migrate(c, pid);
                }
                first = false;
                List<Long> samples = new ArrayList<>(runs);
                List<Move> moves = new ArrayList<>(runs);
                List<Long> writes = new ArrayList<>(runs);
                for (int i = 0; i < runs; i++) {
                    long before = c.zxid();
                    Move m = migrate(c, pid);
                    writes.add(c.zxid() - before - 1);
                    moves.add(m);
                    samples.add(m.nanos());
                }
                c.client.terminate(pid);
                Stats moved = Stats.ofNanos(samples);
                Stats socket = socketTransfer(new Idle(new String[] {String.valueOf(bytes)}), runs);
                double zkWrites = Stats.ofMillis(writes.stream().mapToDouble(Long::doubleValue).toArray()).p50Ms();
                BenchResult r = BenchResult.of(name(), size(bytes), moved, ZkScenario.FLOOR, floor)
                        .with("state_bytes", bytes)
                        .with("socket_p50_ms", socket.p50Ms())
                        .with("socket_p99_ms", socket.p99Ms())
                        .with("ratio_socket_p50", moved.p50Ms() / socket.p50Ms())
                        .with("zk_writes", zkWrites)
                        .with("suspended_at_ms", median(moves, Move::suspendedMs))
                        .with("starting_at_ms", median(moves, Move::startingMs))
                        .with("running_at_ms", median(moves, Move::runningMs));
                out.add(target(r, bytes, moved, floor));
            }
        }
        return out;
    }

    private static BenchResult target(BenchResult r, int bytes, Stats moved, Stats floor) {
        if (bytes <= 1_000) {
            return r.target("p50 within 5 ZooKeeper round trips and 20 ms",
                    moved.p50Ms() <= 5 * floor.p50Ms() && moved.p50Ms() <= 20);
        }
        if (bytes >= 10_000_000) {
            return r.target("under 1 s", moved.p50Ms() < 1000);
        }
        return r;
    }

    /** One migration's total, and when (ms after the call, by the status history's clock) each phase ended. */
    record Move(long nanos, long suspendedMs, long startingMs, long runningMs) {}

    private static Move migrate(BenchCluster c, String pid) {
        long wall = System.currentTimeMillis();
        long t = System.nanoTime();
        Ticket ticket = c.client.migrate(pid, null);
        ProcessStatus s = c.client.awaitMigrated(ticket, BenchCluster.WAIT);
        long took = System.nanoTime() - t;
        return new Move(took, reached(s, ProcessState.SUSPENDED, wall), reached(s, ProcessState.STARTING, wall),
                reached(s, ProcessState.RUNNING, wall));
    }

    private static long reached(ProcessStatus s, ProcessState state, long since) {
        return s.history().stream().filter(h -> h.state() == state && h.at() >= since)
                .mapToLong(h -> h.at() - since).min().orElse(-1);
    }

    private static double median(List<Move> moves, java.util.function.ToLongFunction<Move> f) {
        return Stats.ofMillis(moves.stream().mapToDouble(m -> f.applyAsLong(m)).toArray()).p50Ms();
    }

    static String size(int bytes) {
        return bytes >= 1_000_000 ? bytes / 1_000_000 + " MB" : bytes >= 1_000 ? bytes / 1_000 + " KB" : bytes + " B";
    }

    /**
     * The socket floor: one thread serializes {@code process} and sends it, length first, to another over
     * loopback; that one reads and deserializes it and answers one byte. Timed from serialize to the answer.
     */
    static Stats socketTransfer(Object process, int runs) throws Exception {
        ExecutorService receiver = Executors.newSingleThreadExecutor(r -> new Thread(r, "ferry-bench-receiver"));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<Object> received = receiver.submit(() -> {
                Object last = null;
                try (Socket s = server.accept();
                        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                        DataOutputStream ack = new DataOutputStream(s.getOutputStream())) {
                    for (int i = 0; i < runs + 1; i++) {
                        byte[] bytes = new byte[in.readInt()];
                        in.readFully(bytes);
                        try (ObjectInputStream o = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                            last = o.readObject();
                        }
                        ack.write(1);
                        ack.flush();
                    }
                }
                return last;
            });
            List<Long> samples = new ArrayList<>(runs);
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                    DataInputStream ack = new DataInputStream(s.getInputStream())) {
                s.setTcpNoDelay(true);
                for (int i = 0; i < runs + 1; i++) { // the first is a warm-up
                    long t = System.nanoTime();
                    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                    try (ObjectOutputStream o = new ObjectOutputStream(buffer)) {
                        o.writeObject(process);
                    }
                    out.writeInt(buffer.size());
                    buffer.writeTo(out);
                    out.flush();
                    ack.readByte();
                    if (i > 0) {
                        samples.add(System.nanoTime() - t);
                    }
                }
            }
            received.get();
            return Stats.ofNanos(samples);
        } finally {
            receiver.shutdownNow();
        }
    }
}
