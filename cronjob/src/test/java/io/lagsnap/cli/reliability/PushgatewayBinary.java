package io.lagsnap.cli.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus Pushgateway (Debian's prometheus-pushgateway) on a free loopback port, used here as a
 * reference parser of the Prometheus text format: what it accepts and gives back through its JSON API is what a
 * Prometheus server would read.
 */
final class PushgatewayBinary implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String url;

    private PushgatewayBinary(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static PushgatewayBinary start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // an empty persistence file keeps it in memory (Debian's default file is shared by every instance)
        Process p = new ProcessBuilder("prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        PushgatewayBinary gateway = new PushgatewayBinary(p, "http://127.0.0.1:" + port);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                if (gateway.get("/-/ready").statusCode() == 200) {
                    return gateway;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!p.isAlive() || System.nanoTime() > until) {
                gateway.close();
                throw new IllegalStateException("the Pushgateway did not become ready");
            }
            Thread.sleep(50);
        }
    }

    String url() {
        return url;
    }

    /** PUTs Prometheus text under {@code job}; returns the HTTP status (200 accepted, 400 unparsable). */
    int put(String job, byte[] text) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/metrics/job/" + job))
                .header("Content-Type", "text/plain; version=0.0.4")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(text)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Every pushed group with its metrics, as {@code GET /api/v1/metrics} gives them. */
    JsonNode metrics() throws IOException, InterruptedException {
        return new ObjectMapper().readTree(get("/api/v1/metrics").body()).get("data");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
