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
        io.ferry.coordination.ZkAuth auth = io.ferry.coordination.ZkAuth.from(cluster.settings());
        if (auth != null) {
            auth.applyToJvm(); // zkCli builds its own client: it finds the credentials through system properties
        }
        io.ferry.coordination.ZkTls tls = io.ferry.coordination.ZkTls.from(cluster.settings());
        if (tls != null) {
            tls.applyToJvm();
        }
        List<String> args = new ArrayList<>(List.of("-server", cluster.settings().connectString()));
        args.addAll(command);
        ZooKeeperMain.main(args.toArray(String[]::new)); // exits the JVM when done
        return 0;
    }
}
