package io.ferry.cli;

import io.ferry.coordination.Durations;
import io.ferry.coordination.FerryException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A connection opened on a second core while picocli reads the command line: a short command spends most of its
 * time loading classes, and those of the ZooKeeper client, Curator and Jackson load as well beside picocli's as after
 * them. It is opened with the flags {@code --zk} and {@code --connect-timeout} as they appear in the arguments, and
 * used only if picocli reads the same ({@link ClusterOptions#connect}); otherwise it is closed unused.
 */
final class EarlyConnection {
    private static volatile EarlyConnection current;

    private final Map<String, String> flags;
    private final CompletableFuture<Connection> connection;

    private EarlyConnection(Map<String, String> flags, io.ferry.coordination.FerrySettings settings) {
        this.flags = flags;
        this.connection = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                connection.complete(Connection.open(settings));
            } catch (Throwable e) {
                connection.completeExceptionally(e);
            }
        }, "ferry-early-connect");
        opener.setDaemon(true);
        opener.start();
    }

    /** Starts connecting with {@code settings}, those that {@code flags} ({@link #flags}) lead to. */
    static void start(Map<String, String> flags, io.ferry.coordination.FerrySettings settings) {
        current = new EarlyConnection(flags, settings);
    }

    /**
     * The cluster flags in {@code args}, as {@link ClusterOptions} will read them if {@code args} mean what they
     * seem to; null when they cannot be read (picocli will say what is wrong).
     */
    static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        try {
            flags.put(ClusterOptions.ZK, value(args, "--zk"));
            String timeout = value(args, "--connect-timeout");
            if (timeout != null) {
                flags.put(ClusterOptions.TIMEOUT, ClusterOptions.timeout(Durations.parse(timeout)));
            }
            return flags;
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /**
     * The early connection, if it was opened with {@code flags} (its failure, if it failed); null when there is
     * none or it was opened with other flags, which closes it.
     */
    static Connection take(Map<String, String> flags) {
        EarlyConnection early = current;
        current = null;
        if (early == null) {
            return null;
        }
        if (!early.flags.equals(flags)) {
            early.connection.thenAccept(Connection::close);
            return null;
        }
        try {
            return early.connection.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new FerryException(String.valueOf(e.getCause()));
        }
    }

    /** The value of the first {@code name} option in {@code args} ({@code name V} or {@code name=V}), or null. */
    private static String value(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(name + "=")) {
                return args[i].substring(name.length() + 1);
            }
        }
        return null;
    }
}
