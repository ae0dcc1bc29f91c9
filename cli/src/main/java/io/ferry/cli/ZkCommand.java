package io.ferry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "zk", mixinStandardHelpOptions = true,
        description = {"Runs a ZooKeeper server configured by conf/zoo.cfg, until Ctrl-C: standalone, or one"
                + " member of an ensemble when zoo.cfg lists server.N lines (put N in DIR/myid)."})
final class ZkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", description = "The client port (default: clientPort in zoo.cfg)")
    Integer port;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where its data goes (default: dataDir in zoo.cfg)")
    Path dir;

    @Option(names = "--config", paramLabel = "FILE", description = "The configuration (default: conf/zoo.cfg)")
    Path config;

    @Option(names = "--secure", paramLabel = "DIR",
            description = "Require every session to authenticate with the credentials 'ferry secure init DIR' wrote:"
                    + " by SASL, or with TLS certificates (then on TLS connections only)")
    Path secure;

    @Override
    public Integer call() {
        Path file = config != null ? config : Home.conf("zoo.cfg");
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        } else if (config != null) {
            throw new IllegalArgumentException("No such configuration file: " + file);
        }
        if (port != null) {
            p.setProperty("clientPort", String.valueOf(port));
        }
        if (secure != null) {
            io.ferry.coordination.SecureDir.open(secure).secureServer(p);
        }
        Path data = dir != null ? dir : Path.of(p.getProperty("dataDir", "data/zookeeper").trim());
        EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(p, data, Duration.ofMinutes(2));
        PrintWriter out = spec.commandLine().getOut();
        out.println("ZooKeeper serving clients on port " + zk.port() + " (data in " + data.toAbsolutePath() + ")"
                + (secure != null ? "; every session must authenticate (" + (p.containsKey("secureClientPort")
                        ? "TLS client certificates" : "SASL") + ", credentials in " + secure + ")" : ""));
        out.println("ready: Ctrl-C stops");
        out.flush();
        return Daemon.runUntilStopped(out, "ZooKeeper", List.of(zk));
    }
}
