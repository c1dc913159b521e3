package io.lagsnap.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real Prometheus Pushgateway (Debian package prometheus-pushgateway) as a subprocess on a free loopback port.
 * A missing binary fails the test: the tests that use it exist to push to the real thing.
 */
public final class PushgatewayServer implements AutoCloseable {
    public static final String BINARY = "prometheus-pushgateway";
    private static final Duration STARTUP = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ExternalProcess process;
    private final Path log;
    private final String url;
    private final String authorization;

    private PushgatewayServer(ExternalProcess process, Path log, String url, String authorization) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.authorization = authorization;
    }

    /** Starts it with the admin API (to wipe between tests) and waits until it is ready. */
    public static PushgatewayServer start() throws IOException {
        return launch(null, List.of());
    }

    /**
     * As {@link #start()}, behind the HTTP basic auth of {@code webConfig} (a Pushgateway web config file);
     * {@code authorization} is the header this helper's own requests send.
     */
    public static PushgatewayServer startWithBasicAuth(Path webConfig, String authorization) throws IOException {
        return launch(authorization, List.of("--web.config.file=" + webConfig));
    }

    private static PushgatewayServer launch(String authorization, List<String> extraFlags) throws IOException {
        Path binary = RequiredTool.onPath(BINARY);
        int port = ExternalProcess.freePort();
        // Debian's build persists to /var/lib/prometheus/pushgateway.data by default, shared by every process
        // started without the flag: an empty value keeps each test gateway in memory.
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--web.listen-address=127.0.0.1:" + port, "--web.enable-admin-api", "--persistence.file="));
        command.addAll(extraFlags);
        Path log = Files.createTempFile("pushgateway", ".log");
        PushgatewayServer started = new PushgatewayServer(
                ExternalProcess.start("pushgateway", new ProcessBuilder(command), log), log,
                "http://127.0.0.1:" + port, authorization);
        started.process.awaitReady(STARTUP, () -> started.get("/-/ready").statusCode() == 200);
        return started;
    }

    public String url() {
        return url;
    }

    /** The exposition Prometheus would scrape. */
    public String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics: " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** How many pushes the gateway answered with {@code status} since it started (its own request counter). */
    public long pushRequests(String status) throws IOException, InterruptedException {
        String series = "pushgateway_http_requests_total{code=\"" + status + "\",handler=\"push\",method=\"put\"} ";
        return scrape().lines().filter(l -> l.startsWith(series))
                .mapToLong(l -> Long.parseLong(l.substring(series.length()))).sum();
    }

    /** Deletes every group, so each test starts from an empty gateway. */
    public void wipe() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request("/api/v1/admin/wipe").PUT(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("wipe: " + r.statusCode() + " " + r.body());
        }
    }

    /** Every pushed group with its metrics, as its JSON API ({@code GET /api/v1/metrics}) gives them back. */
    public JsonNode metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/api/v1/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /api/v1/metrics: " + r.statusCode() + " " + r.body());
        }
        return new ObjectMapper().readTree(r.body()).get("data");
    }

    /** A raw text push, as another job would do it. */
    public int put(String path, String text) throws IOException, InterruptedException {
        return HTTP.send(request(path).PUT(HttpRequest.BodyPublishers.ofString(text)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    @Override
    public void close() throws IOException {
        process.close();
        Files.deleteIfExists(log);
    }
}
