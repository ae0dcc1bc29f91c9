package io.ferry.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.coordination.FerryClient;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.FerrySettings;
import io.ferry.coordination.Json;
import io.ferry.coordination.LogStore;
import io.ferry.coordination.NoSuchNodeException;
import io.ferry.coordination.NoSuchProcessException;
import io.ferry.coordination.ProcessView;
import io.ferry.coordination.Transition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web dashboard of one cluster: a page (plain HTML and JavaScript from this jar, nothing fetched elsewhere), its
 * JSON API, server-sent events that push every change as it happens ({@link ClusterWatch}, one set of ZooKeeper
 * watches for every browser), the CLI's actions with the CLI's messages, and this JVM's {@code /metrics}.
 *
 * <p>Actions are POSTs that must carry {@code X-Ferry-Action: 1}: a page of another site cannot send that header
 * without the browser asking this server first, which it never allows; and on a loopback address only requests that
 * name it are answered (no DNS rebinding). It has no login of its own: whoever reaches it acts with its
 * credentials, so it listens on 127.0.0.1 unless told otherwise. A dashboard whose credentials may not steer (a
 * secured cluster's reader) is read-only.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    /** Event streams open at once, at most; each holds a thread of {@link #THREADS}. */
    static final int MAX_STREAMS = 48;
    private static final int THREADS = MAX_STREAMS + 8;
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int MAX_BODY = 4096;
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "png", "image/png");

    private final HttpServer server;
    private final ExecutorService executor;
    private final FerryClient ferry;
    private final ClusterWatch watch;
    private final String readOnlyWhy;
    private final AtomicInteger streams = new AtomicInteger();

    private Dashboard(HttpServer server, ExecutorService executor, FerryClient ferry, ClusterWatch watch,
            String readOnlyWhy) {
        this.server = server;
        this.executor = executor;
        this.ferry = ferry;
        this.watch = watch;
        this.readOnlyWhy = readOnlyWhy;
    }

    /**
     * Serves the dashboard of the cluster {@code client} is connected to, on {@code bind:port} (0: any free port).
     *
     * @param readOnlyWhy why its actions are off (its credentials may not steer), or null when they are on
     */
    public static Dashboard start(CuratorFramework client, FerrySettings settings, String bind, int port,
            String readOnlyWhy) {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS,
                io.ferry.coordination.FerryThreads.factory("ferry-ui"));
        HttpServer server;
        try {
            server = Http.listen(bind, port, executor);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        FerryClient ferry = new FerryClient(client, settings);
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("connect", settings.connectString());
        cluster.put("readOnly", readOnlyWhy != null);
        cluster.put("readOnlyWhy", readOnlyWhy);
        ClusterWatch watch = new ClusterWatch(client, ferry, cluster);
        Dashboard d = new Dashboard(server, executor, ferry, watch, readOnlyWhy);
        watch.start();
        server.createContext("/", d::handle);
        Prometheus.registry();
        server.start();
        return d;
    }

    /** As {@link #start}, on {@code preferred} when it is free, else on any free port. */
    public static Dashboard startNear(CuratorFramework client, FerrySettings settings, String bind, int preferred,
            String readOnlyWhy) {
        try {
            return start(client, settings, bind, preferred, readOnlyWhy);
        } catch (FerryException taken) {
            return start(client, settings, bind, 0, readOnlyWhy);
        }
    }

    /** Where a browser finds it. */
    public String url() {
        return "http://" + host(server.getAddress()) + ":" + server.getAddress().getPort() + "/";
    }

    static String host(InetSocketAddress address) {
        String h = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (IOException gone) {
            ex.close(); // the browser went away
        } catch (RuntimeException e) {
            LOG.warn("Dashboard request {} failed: {}", ex.getRequestURI(), e.toString());
            Http.error(ex, 500, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void route(HttpExchange ex) throws IOException {
        if (!hostAllowed(ex)) {
            Http.error(ex, 421, "This dashboard answers requests for " + server.getAddress().getAddress()
                    .getHostAddress() + " (or localhost) only");
            return;
        }
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        if (method.equals("POST")) {
            if (parts.size() == 4 && parts.get(0).equals("api") && parts.get(1).equals("processes")) {
                act(ex, parts.get(2), parts.get(3));
            } else {
                Http.error(ex, 404, "No such action: " + path);
            }
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Http.error(ex, 405, method + " is not allowed here");
            return;
        }
        switch (path) {
            case "/", "/index.html" -> asset(ex, "index.html");
            case "/app.js" -> asset(ex, "app.js");
            case "/style.css" -> asset(ex, "style.css");
            case "/metrics" -> Http.text(ex, 200, MetricsServer.CONTENT_TYPE, Prometheus.scrape());
            case "/api/state" -> Http.send(ex, 200, "application/json; charset=utf-8", watch.current().json());
            case "/api/events" -> stateStream(ex);
            default -> {
                if (parts.size() == 3 && parts.get(0).equals("api") && parts.get(1).equals("processes")) {
                    describe(ex, parts.get(2));
                } else if (parts.size() == 4 && parts.get(1).equals("processes") && parts.get(3).equals("log")) {
                    logStream(ex, parts.get(2));
                } else {
                    Http.error(ex, 404, "Not found: " + path);
                }
            }
        }
    }

    /**
     * On a loopback address, only requests that name it (or localhost) in their Host header: a page of another
     * site whose name is re-pointed at 127.0.0.1 (DNS rebinding) would otherwise be same-origin with the dashboard
     * and could read it and steer the cluster. On another address there is no such guard: anyone who reaches it
     * may use it (docs/SECURITY.md).
     */
    private boolean hostAllowed(HttpExchange ex) {
        if (!server.getAddress().getAddress().isLoopbackAddress()) {
            return true;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return true; // HTTP/1.0: no browser sends that
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
    }

    private void asset(HttpExchange ex, String name) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                Http.error(ex, 404, "Not found: " + name);
                return;
            }
            Http.send(ex, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), in.readAllBytes());
        }
    }

    private void describe(HttpExchange ex, String pid) throws IOException {
        ProcessView v;
        try {
            v = ferry.describe(pid);
        } catch (NoSuchProcessException | IllegalArgumentException e) {
            Http.error(ex, 404, e.getMessage());
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("process", ClusterWatch.process(v));
        m.put("spec", ClusterWatch.spec(v.record().spec()));
        List<Transition> history = v.status() == null ? List.of() : v.status().history();
        m.put("history", history.stream().map(t -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("state", t.state().name());
            h.put("node", t.node());
            h.put("generation", t.generation());
            h.put("at", t.at());
            h.put("reason", t.reason());
            return h;
        }).toList());
        Http.json(ex, 200, m);
    }

    /** Steers a process as the CLI would, and answers with the CLI's message or its error. */
    private void act(HttpExchange ex, String pid, String action) throws IOException {
        if (!"1".equals(ex.getRequestHeaders().getFirst("X-Ferry-Action"))) {
            Http.error(ex, 403, "Actions need the header X-Ferry-Action: 1 (the dashboard's page sends it)");
            return;
        }
        if (readOnlyWhy != null) {
            Http.error(ex, 403, "This dashboard is read-only: " + readOnlyWhy);
            return;
        }
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            Http.error(ex, 413, "A request body is at most " + MAX_BODY + " bytes");
            return;
        }
        String node = null;
        if (body.length > 0) {
            try {
                var json = Json.mapper().readTree(body);
                node = json != null && json.hasNonNull("node") && !json.get("node").asText().isBlank()
                        ? json.get("node").asText() : null;
            } catch (IOException e) {
                Http.error(ex, 400, "The body is not JSON: send {\"node\": \"node-2\"} or nothing");
                return;
            }
        }
        try {
            String message = switch (action) {
                case "suspend" -> {
                    ferry.suspend(pid);
                    yield "Suspending " + pid;
                }
                case "resume" -> {
                    ferry.resume(pid, node);
                    yield "Resuming " + pid + (node == null ? "" : " on " + node);
                }
                case "migrate" -> {
                    ferry.migrate(pid, node);
                    yield "Migrating " + pid + " to " + (node == null ? "another node" : node);
                }
                case "terminate" -> {
                    ferry.terminate(pid);
                    yield "Terminating " + pid;
                }
                default -> null;
            };
            if (message == null) {
                Http.error(ex, 404, "No action " + action + " (suspend, resume, migrate, terminate)");
                return;
            }
            Http.json(ex, 200, Map.of("ok", true, "message", message));
        } catch (NoSuchProcessException | NoSuchNodeException e) {
            Http.error(ex, 404, e.getMessage());
        } catch (FerryException | IllegalArgumentException | IllegalStateException e) {
            Http.error(ex, 409, e.getMessage());
        }
    }

    /** The cluster's state now, then again at every change, as {@code state} events. */
    private void stateStream(HttpExchange ex) throws IOException {
        if (!openStream(ex)) {
            return;
        }
        watch.viewing(1);
        try (OutputStream out = Http.events(ex)) {
            long seen = -1;
            while (true) {
                ClusterWatch.Snapshot s = watch.awaitAfter(seen, HEARTBEAT);
                if (s == null) {
                    return; // the dashboard is closing
                }
                if (s.version() == seen) {
                    Http.heartbeat(out);
                } else {
                    Http.event(out, "state", s.json());
                    seen = s.version();
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            watch.viewing(-1);
            streams.decrementAndGet();
            ex.close();
        }
    }

    /** What a process printed, from the start of what is kept, then as it grows, as {@code log} events. */
    private void logStream(HttpExchange ex, String pid) throws IOException {
        if (!openStream(ex)) {
            return;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer pending = ByteBuffer.allocate(0);
        Runnable wake = null; // the watcher the latest read left, taken back if the page leaves first
        try (OutputStream out = Http.events(ex)) {
            String after = null;
            while (true) {
                CountDownLatch more = new CountDownLatch(1);
                wake = more::countDown;
                List<LogStore.Chunk> chunks;
                try {
                    chunks = ferry.logs(pid, after, wake);
                } catch (NoSuchProcessException | IllegalArgumentException gone) {
                    Http.event(out, "gone", "{}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                for (LogStore.Chunk c : chunks) {
                    // a character may be split between two chunks: decode as one stream
                    ByteBuffer in = ByteBuffer.allocate(pending.remaining() + c.bytes().length);
                    in.put(pending).put(c.bytes()).flip();
                    CharBuffer text = CharBuffer.allocate(in.remaining());
                    utf8.decode(in, text, false);
                    pending = in.slice();
                    text.flip();
                    Http.event(out, "log", Json.write(Map.of("text", text.toString())));
                    after = c.name();
                }
                while (!more.await(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)) {
                    Http.heartbeat(out); // one watch per stream until it fires: no reading while nothing comes
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            if (wake != null) {
                unfollow(pid, wake);
            }
            streams.decrementAndGet();
            ex.close();
        }
    }

    private void unfollow(String pid, Runnable wake) {
        try {
            ferry.unfollowLogs(pid, wake);
        } catch (RuntimeException e) {
            LOG.debug("Could not take back the log watcher of {} (it ends with the session)", pid, e);
        }
    }

    private boolean openStream(HttpExchange ex) throws IOException {
        if (streams.incrementAndGet() > MAX_STREAMS) {
            streams.decrementAndGet();
            Http.error(ex, 503, "Too many open dashboards (" + MAX_STREAMS + "); close some tabs");
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        watch.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
