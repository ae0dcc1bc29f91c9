package io.ferry.cli;

import io.ferry.coordination.Layout;
import io.ferry.coordination.ZPaths;
import io.ferry.coordination.Zk;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = {"Moves a cluster written by an earlier Ferry into this Ferry's ZooKeeper layout (version "
                + ZPaths.LAYOUT_VERSION + "). Stop every node and scheduler first; an upgrade that stops part-way"
                + " is finished by running it again. ('ferry local --dir' upgrades its own cluster.)"})
final class UpgradeCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var settings = cluster.settings();
        try (CuratorFramework c = Zk.connectAnyLayout(settings, settings.connectionTimeout())) {
            Layout.Upgrade done = Layout.upgrade(c);
            java.io.PrintWriter out = spec.commandLine().getOut();
            if (json.json) {
                JsonOption.print(out, done);
            } else if (done.from() == done.to()) {
                out.println("The cluster is in layout " + done.to() + " already.");
            } else {
                out.printf("Upgraded the cluster from layout %d to %d: %,d processes moved.%n", done.from(), done.to(),
                        done.pids());
            }
        }
        return 0;
    }
}
