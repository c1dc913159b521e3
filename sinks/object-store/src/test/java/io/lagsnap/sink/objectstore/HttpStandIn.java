package io.lagsnap.sink.objectstore;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server that stands in for a cloud API where no real server can run in the tests: it records each
 * request as "METHOD uri" and answers with the test's handler. The tests that use it say what it stands in for.
 */
final class HttpStandIn implements AutoCloseable {
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    HttpStandIn(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            handler.handle(exchange);
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The real google-cloud-storage client, talking to this server with no credentials. */
    Storage gcs() {
        return StorageOptions.http().setHost(endpoint()).setProjectId("lagsnap-test")
                .setCredentials(NoCredentials.getInstance()).build().getService();
    }

    static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
        respond(exchange, code, type, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the request body first: the client may still be sending it. */
    static void respond(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
