package io.ferry.cli;

import io.ferry.coordination.Acls;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Zk;
import io.ferry.web.Dashboard;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Serves the web dashboard of a cluster until Ctrl-C: nodes, processes and their logs as they"
                + " change, with the CLI's actions (read-only with a reader's credentials). Also serves this"
                + " JVM's /metrics."})
final class UiCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080",
            description = "The port (default: ${DEFAULT-VALUE}; 0 for any free port)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address it listens on (default: ${DEFAULT-VALUE}, this machine only)")
    String bind;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        io.ferry.web.Prometheus.install(); // it serves /metrics: published before any client is made, so metered
        FerrySettings settings = cluster.settings();
        CuratorFramework curator = Zk.connect(settings, settings.connectionTimeout());
        Dashboard dashboard;
        try {
            dashboard = Dashboard.start(curator, settings, bind, port, Acls.whyNotClient(settings));
        } catch (RuntimeException e) {
            curator.close();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("ready: dashboard of " + settings.connectString() + " at " + dashboard.url() + "; Ctrl-C stops");
        out.flush();
        return Daemon.runUntilStopped(out, "dashboard", List.of(dashboard, curator));
    }
}
