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

    static final String ZK = FerrySettings.CONNECT;
    static final String TIMEOUT = FerrySettings.CONNECTION_TIMEOUT;

    /** Every setting, with this command's flags applied. */
    FerrySettings settings() {
        return settings(flags(), invocation());
    }

    /** The settings that {@code flags} (from {@link #flags}) override, for a command typed in this JVM. */
    static FerrySettings settings(Map<String, String> flags) {
        return settings(flags, Invocation.here());
    }

    private static FerrySettings settings(Map<String, String> flags, Invocation typed) {
        return FerrySettings.load(Home.properties(typed), typed.env(), flags);
    }

    /** Where this command was typed. */
    Invocation invocation() {
        return root() != null ? root().invocation() : Invocation.here();
    }

    private Ferry root() {
        return mixee.root().userObject() instanceof Ferry root ? root : null;
    }

    private Map<String, String> flags() {
        Map<String, String> flags = new HashMap<>();
        flags.put(ZK, zk);
        if (connectTimeout != null) {
            flags.put(TIMEOUT, timeout(connectTimeout));
        }
        return flags;
    }

    static String timeout(Duration connectTimeout) {
        return connectTimeout.toMillis() + "ms";
    }

    /** A connection for this command: the shell's or the helper's, the one opened early, or a new one. */
    Connection connect() {
        if (root() != null && root().connector() != null) {
            return root().connector().connect(settings());
        }
        Map<String, String> flags = flags();
        Connection early = EarlyConnection.take(flags);
        return early != null ? early : Connection.open(settings(flags));
    }
}
