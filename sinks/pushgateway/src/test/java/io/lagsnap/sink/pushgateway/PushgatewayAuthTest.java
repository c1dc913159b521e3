package io.lagsnap.sink.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.testkit.PushgatewayServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials from the environment reach the gateway; a refused login is reported and not retried. */
class PushgatewayAuthTest {
    /** A cluster that could not be reached: the smallest real snapshot (up, scrape duration, poll time). */
    private static final Snapshot SNAPSHOT = MetricFamilies.derive(new Snapshot("run-1", Instant.now(), Shard.ALL,
            List.of(
            ClusterSnapshot.builder("local").granularity(Granularity.PARTITION).time(Instant.now()).up(false)
                    .error("unreachable").build())));

    @TempDir
    Path dir;

    private static Delivery deliver(Map<String, Object> options, Map<String, String> env) throws Exception {
        try (Sink sink = new PushgatewaySinkProvider().create(
                new SinkConfig("pushgateway", "pgw", "test.toml: sinks[0]", options),
                new SinkContext(List.of(), env::get, Shard.ALL))) {
            return sink.deliver(SNAPSHOT, Deadline.after(Duration.ofSeconds(20)));
        }
    }

    private PushgatewayServer gatewayWithBasicAuth() throws Exception {
        Path webConfig = dir.resolve("web.yml");
        try (InputStream in = getClass().getResourceAsStream("/web-basic-auth.yml")) {
            Files.copy(in, webConfig);
        }
        String header = "Basic " + Base64.getEncoder().encodeToString(
                "lagsnap:push-secret".getBytes(StandardCharsets.UTF_8));
        return PushgatewayServer.startWithBasicAuth(webConfig, header);
    }

    @Test
    void basicAuthWithThePasswordFromTheEnvironmentIsAcceptedByTheGateway() throws Exception {
        try (PushgatewayServer gateway = gatewayWithBasicAuth()) {
            Delivery d = deliver(Map.of("url", gateway.url(), "username", "lagsnap", "password_env", "PGW_PASSWORD"),
                    Map.of("PGW_PASSWORD", "push-secret"));

            assertThat(d.delivered()).as(d.detail()).isTrue();
            assertThat(gateway.scrape()).contains(
                    "kafka_lag_exporter_up{cluster_name=\"local\",instance=\"\",job=\"lagsnap\"} 0\n");
        }
    }

    @Test
    void aWrongPasswordIsReportedOnceWithoutRetryingOrShowingIt() throws Exception {
        try (PushgatewayServer gateway = gatewayWithBasicAuth()) {
            Delivery d = deliver(Map.of("url", gateway.url(), "username", "lagsnap", "password_env", "PGW_PASSWORD",
                    "retries", 3L), Map.of("PGW_PASSWORD", "wrong-password"));

            assertThat(d.delivered()).isFalse();
            assertThat(d.detail()).contains("local: attempt 1 of 4: ", " was 401").endsWith(" (not retried)")
                    .doesNotContain("wrong-password");
            assertThat(gateway.scrape()).doesNotContain("kafka_lag_exporter_up");
        }
    }

    @Test
    void aBearerTokenFromTheEnvironmentIsSentOnThePut() throws Exception {
        // The Pushgateway cannot check bearer tokens itself (only basic auth); they are checked by a proxy in front
        // of it. This stand-in records what such a proxy would see.
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        proxy.start();
        try {
            Delivery d = deliver(Map.of("url", "http://127.0.0.1:" + proxy.getAddress().getPort() + "/gw",
                    "bearer_token_env", "PGW_TOKEN"), Map.of("PGW_TOKEN", "tok-123"));

            assertThat(d.delivered()).as(d.detail()).isTrue();
            assertThat(seen).containsExactly("PUT /gw/metrics/job/lagsnap/cluster_name/local Bearer tok-123");
        } finally {
            proxy.stop(0);
        }
    }
}
