package io.ferry.cli;

import io.ferry.coordination.FerryException;
import io.ferry.coordination.SecureDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "secure", mixinStandardHelpOptions = true, subcommands = SecureCommand.Init.class,
        description = {"Credentials for a secured cluster (docs/SECURITY.md)."})
final class SecureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Writes a fresh set of credentials into DIR: a SASL password for each role (client,"
                    + " scheduler, node, reader), or with --tls a certificate authority and a certificate per role,"
                    + " the cluster's snapshot key, and a properties file per role that uses them"
                    + " (FERRY_CONF=DIR/client.properties). Secrets are readable by you only."})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions cluster;

        @Parameters(paramLabel = "DIR", description = "Where to write them (created)")
        Path dir;

        @Option(names = "--force", description = "Replace a set DIR holds already (its old credentials stop working)")
        boolean force;

        @Option(names = "--tls", description = "Certificates instead of passwords: ZooKeeper then takes TLS"
                + " connections only, from certificates of this set's authority; its own certificate names the hosts"
                + " of --zk (and localhost)")
        boolean tls;

        @Override
        public Integer call() throws IOException {
            if (!force && Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new FerryException(dir + " is not empty; choose an empty directory, or pass --force to"
                                + " replace what it holds");
                    }
                }
            }
            SecureDir d = SecureDir.init(dir, cluster.settings().connectString(), tls);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Wrote " + (tls ? "a certificate authority and certificates" : "passwords") + " for "
                    + String.join(", ", SecureDir.ROLES) + " and the snapshot key to " + d.dir()
                    + " (secrets readable by you only). Then:");
            out.println("  zookeeper  ferry zk --secure " + d.dir());
            out.println("  scheduler  FERRY_CONF=" + d.properties("scheduler") + " ferry scheduler");
            out.println("  node       FERRY_CONF=" + d.properties("node") + " ferry node");
            out.println("  client     FERRY_CONF=" + d.properties("client") + " ferry ps");
            out.println("  reader     FERRY_CONF=" + d.properties("reader") + " ferry ps   (reads only)");
            out.flush();
            return 0;
        }
    }
}
