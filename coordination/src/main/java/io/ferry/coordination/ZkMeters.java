package io.ferry.coordination;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.drivers.TracerDriver;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * What every Ferry ZooKeeper client of this JVM reports: request latency by Curator's operation name (a bounded set,
 * such as {@code GetDataBuilderImpl-Foreground}), how many clients are connected, connection-state changes and
 * session losses.
 */
final class ZkMeters {
    private static final Map<String, Timer> REQUESTS = new ConcurrentHashMap<>();
    /** Every client metered, until it is collected: a closed one reports no last state change. */
    private static final java.util.Set<CuratorFramework> CLIENTS =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    static {
        Gauge.builder(FerryMetrics.ZK_CONNECTED, CLIENTS, ZkMeters::connected)
                .description("ZooKeeper clients of this JVM that are connected").register(FerryMetrics.registry());
    }

    private static double connected(java.util.Set<CuratorFramework> clients) {
        synchronized (clients) {
            return clients.stream().filter(c -> c.getState() == org.apache.curator.framework.imps.CuratorFrameworkState
                    .STARTED && c.getZookeeperClient().isConnected()).count();
        }
    }

    private static final TracerDriver TRACER = new TracerDriver() {
        @Override
        public void addTrace(String name, long time, TimeUnit unit) {
            REQUESTS.computeIfAbsent(name, op -> FerryMetrics.timer(FerryMetrics.ZK_REQUEST,
                    "ZooKeeper requests, by Curator's operation", "op", op)).record(time, unit);
        }

        @Override
        public void addCount(String name, int increment) {
            // Curator's own counters (retries, errors) repeat what the state changes say
        }
    };

    private ZkMeters() {}

    /** Meters {@code client}: its requests, and its connection's state from now on. */
    static void watch(CuratorFramework client) {
        client.getZookeeperClient().setTracerDriver(TRACER);
        CLIENTS.add(client);
        client.getConnectionStateListenable().addListener(new ConnectionStateListener() {
            @Override
            public void stateChanged(CuratorFramework c, ConnectionState state) {
                FerryMetrics.counter(FerryMetrics.ZK_STATE_CHANGES, "ZooKeeper connection state changes, by new state",
                        "state", state.name()).increment();
                if (state == ConnectionState.LOST) {
                    FerryMetrics.counter(FerryMetrics.ZK_SESSION_EXPIRIES, "ZooKeeper sessions lost (expired, or"
                            + " given up on by the client)").increment();
                }
            }
        });
    }
}
