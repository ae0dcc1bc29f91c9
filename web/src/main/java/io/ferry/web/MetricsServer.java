package io.ferry.web;

import com.sun.net.httpserver.HttpServer;
import io.ferry.coordination.FerrySettings;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves this JVM's meters as Prometheus text on {@code /metrics}, for a scheduler or node daemon:
 * {@code ferry.metrics.port} (none by default), on {@code ferry.metrics.bind} (127.0.0.1 by default: what a
 * cluster does is not everyone's business).
 */
public final class MetricsServer implements AutoCloseable {
    public static final String PORT = "ferry.metrics.port";
    public static final String BIND = "ferry.metrics.bind";
    /** Prometheus's text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** The server the settings ask for, started, or null when they name no port. */
    public static MetricsServer fromSettings(FerrySettings settings) {
        String port = settings.get(PORT, "").trim();
        if (port.isEmpty()) {
            return null;
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PORT + " must be a port number, got '" + port + "'");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(PORT + " must be 0..65535, got " + p);
        }
        return start(settings.get(BIND, "127.0.0.1").trim(), p);
    }

    public static MetricsServer start(String bind, int port) {
        ExecutorService executor = Executors.newFixedThreadPool(2, io.ferry.coordination.FerryThreads
                .factory("ferry-metrics"));
        HttpServer server = Http.listen(bind, port, executor);
        server.createContext("/metrics", ex -> Http.text(ex, 200, CONTENT_TYPE, Prometheus.scrape()));
        Prometheus.registry();
        server.start();
        return new MetricsServer(server, executor);
    }

    /** Where it listens, as a URL. */
    public String url() {
        return "http://" + Dashboard.host(server.getAddress()) + ":" + server.getAddress().getPort() + "/metrics";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
