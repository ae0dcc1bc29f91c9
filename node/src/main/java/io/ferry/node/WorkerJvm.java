package io.ferry.node;

import io.ferry.coordination.ByteSizes;
import io.ferry.worker.Sockets;
import io.ferry.worker.Wire;
import io.ferry.worker.Worker;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A started worker JVM ({@link Worker}), connected to this agent over a Unix-domain socket in a directory only this
 * user can open, and waiting for a process. Its own standard streams (the JVM's messages, not the process's) go
 * to a file beside the socket, read when it ends to tell how.
 */
final class WorkerJvm {
    /** How long a worker JVM may take to start and connect. */
    private static final Duration CONNECT = Duration.ofSeconds(60);

    private final Process process;
    private final SocketChannel channel;
    private final Wire wire;
    private final long memoryBytes;
    private final Path dir;

    private WorkerJvm(Process process, SocketChannel channel, Wire wire, long memoryBytes, Path dir) {
        this.process = process;
        this.channel = channel;
        this.wire = wire;
        this.memoryBytes = memoryBytes;
        this.dir = dir;
    }

    /**
     * Starts a worker JVM with a heap of {@code memoryBytes}, on this JVM's own Java and classpath.
     *
     * @param warm whether it warms up before it says it is ready: for a pool's worker, started ahead of need
     */
    static WorkerJvm start(long memoryBytes, boolean warm) throws IOException {
        Path dir = Files.createTempDirectory("ferry-w"); // owner-only permissions
        Path socket = dir.resolve("s");
        Process process = null;
        SocketChannel channel = null;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            process = new ProcessBuilder(command(memoryBytes, socket, warm)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("jvm.out").toFile()).start();
            channel = accept(server, selector, process);
            channel.configureBlocking(true);
            Wire wire = new Wire(Sockets.in(channel), Sockets.out(channel));
            Wire.Frame ready = wire.read();
            if (ready.type() != Wire.Type.READY) {
                throw new IOException("A worker JVM said " + ready.type() + " before READY");
            }
            return new WorkerJvm(process, channel, wire, memoryBytes, dir);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            if (process != null) {
                process.destroyForcibly();
            }
            deleteQuietly(dir);
            throw e;
        } finally {
            Files.deleteIfExists(socket); // connected or failed: no one else may connect
        }
    }

    /** The java this JVM runs on. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> command(long memoryBytes, Path socket, boolean warm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path")); // what the node's processes see, as in thread isolation
        cmd.add("-Xmx" + (memoryBytes >> 20) + "m");
        cmd.add("-XX:+ExitOnOutOfMemoryError"); // a process out of heap ends its JVM, which says so, at once
        cmd.add("-XX:+UseSerialGC"); // one small heap per process: no GC threads per core
        cmd.add("-XX:-UsePerfData");
        cmd.add("-Xshare:auto");
        Path archive = WorkerArchive.ready();
        if (archive != null) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
        }
        cmd.add(Worker.class.getName());
        cmd.add(socket.toString());
        if (warm) {
            cmd.add(Worker.WARM);
        }
        return cmd;
    }

    private static SocketChannel accept(ServerSocketChannel server, Selector selector, Process process)
            throws IOException {
        long deadline = System.nanoTime() + CONNECT.toNanos();
        while (System.nanoTime() < deadline) {
            selector.select(200);
            SocketChannel channel = server.accept();
            if (channel != null) {
                return channel;
            }
            if (!process.isAlive()) {
                throw new IOException("A worker JVM ended before it connected (status " + process.exitValue() + ")");
            }
        }
        throw new IOException("A worker JVM did not connect within " + CONNECT.toSeconds() + " s");
    }

    Wire wire() {
        return wire;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits at most {@code wait} for the JVM to end; true if it has. */
    boolean awaitExit(Duration wait) throws InterruptedException {
        return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the JVM now (SIGKILL). */
    void kill() {
        process.destroyForcibly();
    }

    /** Ends the JVM: asked politely (SIGTERM), then killed when it has not ended within {@code grace}. */
    void end(Duration grace) throws InterruptedException {
        process.destroy();
        if (!awaitExit(grace)) {
            process.destroyForcibly();
            awaitExit(grace);
        }
    }

    /**
     * How the JVM ended, once it has: {@code out of memory (heap limit 256 MB)}, {@code exited with status 1
     * (System.exit in Foo.run)}, {@code killed by signal 9 (SIGKILL)}.
     *
     * @param exiting who called System.exit, as the worker reported it, or null
     */
    String howItEnded(String exiting) {
        int status = process.exitValue();
        String output = tail();
        if (output.contains("java.lang.OutOfMemoryError")) {
            return "out of memory (heap limit " + ByteSizes.format(memoryBytes) + ")";
        }
        if (exiting != null) {
            return "exited with status " + status + " (" + exiting + ")";
        }
        if (status > 128) {
            int signal = status - 128;
            return "killed by signal " + signal + switch (signal) {
                case 9 -> " (SIGKILL)";
                case 15 -> " (SIGTERM)";
                case 11 -> " (SIGSEGV)";
                case 6 -> " (SIGABRT)";
                default -> "";
            };
        }
        return "exited with status " + status + " (Runtime.halt, or the JVM crashed"
                + (output.isBlank() ? ")" : ": " + output.strip().lines().reduce((a, b) -> b).orElse("") + ")");
    }

    /** The last few KB of what the JVM itself printed. */
    private String tail() {
        Path out = dir.resolve("jvm.out");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(out.toFile(), "r")) {
            long from = Math.max(0, f.length() - 4096);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Closes this end of the socket and forgets the JVM's files, once it has ended. */
    void cleanUp() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a socket to a JVM that has gone
        }
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }

    @Override
    public String toString() {
        return "worker JVM " + process.pid();
    }
}
