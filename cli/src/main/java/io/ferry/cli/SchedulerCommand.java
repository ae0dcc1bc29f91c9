package io.ferry.cli;

import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Zk;
import io.ferry.scheduler.Scheduler;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = {"Runs a scheduler until Ctrl-C. Run two or three on different machines: one leads, the"
                + " others stand by and take over within the session timeout if it dies."})
final class SchedulerCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec spec;

    @Option(names = "--id", paramLabel = "ID", description = "Its name in logs and leader election (default: host-pid)")
    String id;

    @Override
    public Integer call() {
        FerrySettings settings = cluster.settings();
        io.ferry.web.MetricsServer metrics = Daemon.metrics(settings, spec.commandLine().getOut());
        String name = id != null ? id : NodeCommand.hostName() + "-" + ProcessHandle.current().pid();
        CuratorFramework curator = Zk.connect(settings, settings.connectionTimeout());
        Scheduler scheduler = new Scheduler(curator, name, settings);
        scheduler.start();
        PrintWriter out = spec.commandLine().getOut();
        List<AutoCloseable> parts = Daemon.parts(metrics, scheduler, curator);
        out.println("ready: scheduler " + name + " connected to " + settings.connectString() + "; Ctrl-C stops");
        out.flush();
        return Daemon.runUntilStopped(out, "scheduler " + name, parts);
    }
}
