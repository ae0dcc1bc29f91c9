package io.ferry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.zookeeper.ZooKeeperMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "zkcli", mixinStandardHelpOptions = true,
        description = {"Opens ZooKeeper's own shell (zkCli) on the cluster's ensemble, to see what Ferry stores.",
            "  ls /ferry/nodes   get /ferry/processes/b-0/p-1   get /ferry/status/b-0/p-1   ls -R /ferry/snapshots",
            "With a COMMAND it runs that one command and exits. bin/zkcli is a shortcut for this."})
final class ZkCliCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "COMMAND", description = "A zkCli command and its arguments, e.g. ls /ferry/nodes")
    List<String> command = List.of();

    @Override
    public Integer call() throws Exception {
        io.ferry.coordination.FerrySettings settings = cluster.settings();
        if (!command.isEmpty()) {
            // one command on a session of Ferry's own (its credentials included, any layout), without the banner
            // and the connection's watcher event that zkCli's own client prints before the answer
            org.apache.curator.framework.CuratorFramework curator = io.ferry.coordination.Zk.connectAnyLayout(
                    settings, settings.connectionTimeout());
            try {
                return new OneCommand(curator.getZookeeperClient().getZooKeeper()).run(command);
            } finally {
                io.ferry.coordination.Zk.closeSoon(curator, settings.connectionTimeout());
            }
        }
        io.ferry.coordination.ZkAuth auth = io.ferry.coordination.ZkAuth.from(settings);
        if (auth != null) {
            auth.applyToJvm(); // zkCli builds its own client: it finds the credentials through system properties
        }
        io.ferry.coordination.ZkTls tls = io.ferry.coordination.ZkTls.from(settings);
        if (tls != null) {
            tls.applyToJvm();
        }
        List<String> args = new ArrayList<>(List.of("-server", settings.connectString()));
        ZooKeeperMain.main(args.toArray(String[]::new)); // exits the JVM when done
        return 0;
    }

    /** zkCli's command runner on a given session; its exit status is zkCli's. */
    private static final class OneCommand extends ZooKeeperMain {
        OneCommand(org.apache.zookeeper.ZooKeeper zk) {
            super(zk);
        }

        int run(List<String> words) throws Exception {
            List<String> quoted = new ArrayList<>();
            for (String w : words) { // zkCli splits the line again: a word with spaces keeps them in quotes
                quoted.add(w.isEmpty() || w.chars().anyMatch(Character::isWhitespace) ? '"' + w + '"' : w);
            }
            executeLine(String.join(" ", quoted));
            return exitCode;
        }
    }
}
