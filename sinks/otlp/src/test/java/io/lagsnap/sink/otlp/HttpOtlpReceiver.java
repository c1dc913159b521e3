package io.lagsnap.sink.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/** OTLP/HTTP with binary protobuf on {@code /v1/metrics}, served by the JDK's HTTP server. */
final class HttpOtlpReceiver implements OtlpReceiver {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Answer answer = Answer.ACCEPT;

    HttpOtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/metrics", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void answer(Answer answer) {
        this.answer = answer;
    }

    @Override
    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        InputStream body = exchange.getRequestBody();
        if ("gzip".equals(headers.get("content-encoding"))) {
            body = new GZIPInputStream(body);
        }
        received.add(new Received(headers, ExportMetricsServiceRequest.parseFrom(body.readAllBytes())));
        switch (answer) {
            case ACCEPT -> {
                byte[] ok = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
                exchange.getResponseBody().write(ok);
            }
            case UNAVAILABLE -> exchange.sendResponseHeaders(503, -1);
            case HANG -> {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
