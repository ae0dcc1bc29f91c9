package io.ferry.cli;

import io.ferry.coordination.Durations;
import io.ferry.coordination.FerryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A ZooKeeper server in this JVM, through ZooKeeper's own {@link ZooKeeperServerEmbedded}: standalone, or one
 * member of an ensemble when the configuration lists {@code server.N} lines.
 */
final class EmbeddedZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final Path dataDir;
    /** What clients on this machine connect to: the bound address, or loopback when bound to every address. */
    private final String host;
    /** Whether its clients connect over TLS, on its secure client port. */
    private final boolean tls;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path dataDir, String address, boolean tls) {
        this.server = server;
        this.tls = tls;
        this.dataDir = dataDir;
        this.host = address.isEmpty() || address.equals("0.0.0.0") || address.equals("::") ? "127.0.0.1" : address;
    }

    /**
     * Starts a server from {@code config} (zoo.cfg settings) with its data in {@code dataDir}.
     *
     * @throws FerryException when the client port is taken or the server does not start within {@code timeout}
     */
    static EmbeddedZooKeeper start(Properties config, Path dataDir, Duration timeout) {
        Properties p = new Properties();
        p.putAll(config);
        p.setProperty("dataDir", dataDir.toAbsolutePath().toString());
        p.putIfAbsent("tickTime", "2000");
        p.putIfAbsent("admin.enableServer", "false");
        boolean tls = p.containsKey("secureClientPort"); // then the only port
        int port = Integer.parseInt(p.getProperty(tls ? "secureClientPort" : "clientPort", "2181").trim());
        String address = p.getProperty(tls ? "secureClientPortAddress" : "clientPortAddress", "").trim();
        requireFree(address, port);
        try {
            Files.createDirectories(dataDir);
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder().baseDir(dataDir).configuration(p)
                    .exitHandler(ExitHandler.LOG_ONLY).build();
            removeGeneratedConfig(dataDir); // read once by build(); a new one is written at every start
            server.start(timeout.toMillis());
            return new EmbeddedZooKeeper(server, dataDir, address, tls);
        } catch (TimeoutException e) {
            throw new FerryException("ZooKeeper did not start within " + Durations.format(timeout) + " (data in "
                    + dataDir + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare ZooKeeper's data directory " + dataDir + ": " + e, e);
        } catch (FerryException e) {
            throw e;
        } catch (Exception e) {
            throw new FerryException("Cannot start ZooKeeper: " + Ferry.message(e), e);
        }
    }

    /** The port clients connect to (the one bound, when the configuration asked for any free port). */
    int port() {
        return tls ? server.getSecureClientPort() : server.getClientPort();
    }

    /** A connect string for clients on this machine. */
    String connectString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "ZooKeeper on port " + port();
    }

    /** Binds {@code address:port} once, to turn what ZooKeeper would only log into a clear error. */
    private static void requireFree(String address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(address.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(address, port));
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("assign")) { // "Cannot assign requested address"
                throw new FerryException("Cannot listen on " + address + ": it is not an address of this machine;"
                        + " choose another with --bind");
            }
            throw new FerryException("Port " + port + " is already in use (another ZooKeeper or 'ferry local'?);"
                    + " choose another with --port");
        }
    }

    private static void removeGeneratedConfig(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "zookeeper.configuration*.properties")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }
}
