package io.ferry.cli;

import io.ferry.coordination.FerrySettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How a command finds the cluster: {@code --zk} and {@code --connect-timeout}, over env and conf/ferry.properties. */
final class ClusterOptions {
    @Option(names = "--zk", paramLabel = "CONNECT",
            description = "ZooKeeper connect string, host:port[,host:port...] (default: $FERRY_ZK, then"
                    + " ferry.zk.connect in conf/ferry.properties, then 127.0.0.1:2181)")
    String zk;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up when ZooKeeper cannot be reached this fast (default: ferry.zk.connectionTimeout, 5s)")
    Duration connectTimeout;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Every setting, with this command's flags applied. */
    FerrySettings settings() {
        Map<String, String> flags = new HashMap<>();
        flags.put(FerrySettings.CONNECT, zk);
        if (connectTimeout != null) {
            flags.put(FerrySettings.CONNECTION_TIMEOUT, connectTimeout.toMillis() + "ms");
        }
        return FerrySettings.load(Home.properties(), System.getenv(), flags);
    }

    /** A connection for this command: the shell's shared one, or a new one. */
    Connection connect() {
        if (mixee.root().userObject() instanceof Ferry root && root.shared() != null) {
            return root.shared().borrowed();
        }
        return Connection.open(settings());
    }
}
