package io.ferry.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.coordination.FerryException;
import io.ferry.coordination.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The small part of HTTP the dashboard and the metrics endpoint need, on the JDK's own server
 * ({@code com.sun.net.httpserver}, a supported API of every JDK since 6): no dependency to keep up to date, and
 * enough for a few routes and server-sent events.
 */
final class Http {
    private Http() {}

    /**
     * A server on {@code bind:port}; port 0 for any free one.
     *
     * @throws FerryException naming the address when it cannot listen there
     */
    static HttpServer listen(String bind, int port, ExecutorService executor) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
            server.setExecutor(executor);
            return server;
        } catch (BindException e) {
            throw new FerryException("Cannot listen on " + bind + ":" + port + " (" + e.getMessage() + "); choose"
                    + " another port");
        } catch (IOException e) {
            throw new FerryException("Cannot listen on " + bind + ":" + port + ": " + e.getMessage());
        }
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    static void json(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.write(value));
    }

    static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, Map.of("error", message));
    }

    static void text(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts a server-sent event stream: the reply's headers, and a body written as events come. */
    static OutputStream events(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, 0); // chunked
        return ex.getResponseBody();
    }

    /** One event: its name and its data, one line of JSON. */
    static void event(OutputStream out, String name, byte[] json) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(json);
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A comment line: keeps the connection open through proxies, and finds out when the browser has gone. */
    static void heartbeat(OutputStream out) throws IOException {
        out.write(": ping\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
