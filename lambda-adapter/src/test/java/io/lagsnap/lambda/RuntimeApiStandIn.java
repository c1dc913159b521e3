package io.lagsnap.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API (2018-06-01) as the runtime interface client sees it: {@code invocation/next} hands out
 * queued events with the headers Lambda sends, {@code /response} and {@code /error} complete them. A stand-in,
 * because the real API exists only inside Lambda; the client talking to it is the real one.
 */
final class RuntimeApiStandIn implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime/";

    /** What the function answered: its response body, or its error body and type; times in epoch millis. */
    record Outcome(boolean error, String body, String errorType, long deadlineMillis, long receivedAtMillis) {
    }

    private record Invocation(String requestId, String payload, Duration timeout) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
    private final List<String> initErrors = new CopyOnWriteArrayList<>();

    RuntimeApiStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** The value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Queues one invocation whose Lambda deadline is {@code timeout} after the client picks it up (so the client's
     * own start-up does not eat into it).
     */
    CompletableFuture<Outcome> invoke(String payload, Duration timeout) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        outcomes.put(id, outcome);
        pending.add(new Invocation(id, payload, timeout));
        return outcome;
    }

    List<String> initErrors() {
        return initErrors;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("invocation/next")) {
                next(exchange);
            } else if (path.equals("init/error")) {
                initErrors.add(body);
                reply(exchange, 202, "{}");
            } else if (path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                boolean error = parts[2].equals("error");
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                CompletableFuture<Outcome> outcome = outcomes.get(parts[1]);
                if (outcome == null) {
                    reply(exchange, 400, "{\"errorMessage\":\"unknown request id\"}");
                    return;
                }
                outcome.complete(new Outcome(error, body, type, deadlines.get(parts[1]), System.currentTimeMillis()));
                reply(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                reply(exchange, 404, "{}");
            }
        }
    }

    /** Blocks like Lambda does until there is an event; the client polls again after each answer. */
    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            do {
                invocation = pending.poll(1, TimeUnit.SECONDS);
            } while (invocation == null && !executor.isShutdown());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (invocation == null) {
            return;
        }
        long deadline = System.currentTimeMillis() + invocation.timeout().toMillis();
        deadlines.put(invocation.requestId(), deadline);
        var headers = exchange.getResponseHeaders();
        headers.add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        headers.add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:lagsnap");
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
        headers.add("Content-Type", "application/json");
        // the native client reads these unconditionally: without them it crashes
        headers.add("Lambda-Runtime-Client-Context", "");
        headers.add("Lambda-Runtime-Cognito-Identity", "");
        headers.add("Lambda-Runtime-Aws-Tenant-Id", "");
        reply(exchange, 200, invocation.payload());
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        server.stop(0);
    }
}
