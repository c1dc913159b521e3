package io.lagsnap.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.lagsnap.lambda.RuntimeApiStandIn.Outcome;
import io.lagsnap.testkit.AdapterFixture;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deadline starts when the invocation arrives, and the config read comes out of it (#21.1): the packaged
 * function, run by the real runtime interface client with 20 s remaining, reads its config from an S3 endpoint
 * that answers after 4 s, and still answers before Lambda's deadline, with a report.
 *
 * <p>The slow store is a stand-in: s3proxy cannot be told to delay, so a small local HTTP server answers the SDK's
 * GetObject (path-style, as the SDK addresses an IP endpoint) with the config text after a delay. The SDK, its
 * timeouts and the runtime client are the real ones.
 */
class SlowConfigStoreIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    /**
     * Serves {@code config} for any GET after {@code delay} and counts those reads; any other request (a
     * Pushgateway push) hangs for a minute, so a sink pushing here uses every second the run gives it.
     */
    private static HttpServer slowStore(AtomicReference<String> config, Duration delay, AtomicInteger requests)
            throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")) {
                    Thread.sleep(60_000);
                    return;
                }
                requests.incrementAndGet();
                Thread.sleep(delay.toMillis());
                byte[] body = config.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                // the client gave up (its timeout): nothing to answer
            }
        });
        server.start();
        return server;
    }

    private LambdaProcess start(RuntimeApiStandIn api, HttpServer store) throws Exception {
        return LambdaProcess.start(dir, api, Map.of(
                "LAGSNAP_CONFIG_URL", "s3://lagsnap-config/prod/lagsnap.toml",
                "LAGSNAP_FAIL_ON", "never",
                "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + store.getAddress().getPort(),
                "AWS_ACCESS_KEY_ID", "stand-in",
                "AWS_SECRET_ACCESS_KEY", "stand-in-secret"));
    }

    /**
     * 20 s remaining less the 3 s margin leave 17 s from the arrival; the read takes 4 s and more (a cold SDK
     * client). A Pushgateway that never answers makes the run use every second it is given, so an answer after
     * Lambda's deadline shows a budget counted from the end of the read (the defect: 4 s + 17 s).
     */
    @Test
    void aSlowConfigReadComesOutOfTheRemainingTime() throws Exception {
        Fixtures.LAMBDA.scenario(KAFKA.broker());
        Path rows = dir.resolve("rows.ndjson");
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> config = new AtomicReference<>();
        HttpServer store = slowStore(config, Duration.ofSeconds(4), reads);
        config.set(Fixtures.LAMBDA.config(KAFKA.broker().bootstrapServers(), rows) + """
                [[sinks]]
                type = "pushgateway"
                name = "hanging"
                url = "http://127.0.0.1:%d"
                timeout = "60s"
                retries = 0
                """.formatted(store.getAddress().getPort()));
        try (RuntimeApiStandIn api = new RuntimeApiStandIn(); LambdaProcess function = start(api, store)) {

            Outcome outcome = function.await(api.invoke("{\"clusters\": [\"local\"]}", Duration.ofSeconds(20)));

            assertThat(outcome.error()).as(outcome.body()).isFalse();
            assertThat(outcome.receivedAtMillis()).as("answered before Lambda's deadline")
                    .isLessThan(outcome.deadlineMillis());
            JsonNode report = AdapterFixture.tree(outcome.body());
            assertThat(report.at("/clusters/0/up").asBoolean()).isTrue();
            assertThat(report.get("sinks")).extracting(k -> k.get("name").asText() + " " + k.get("delivered"))
                    .containsExactly("rows true", "hanging false");
            assertThat(AdapterFixture.lagLines(rows))
                    .containsExactly("local l-app l-orders-0 lag=6", "local l-app l-orders-1 lag=3");
            assertThat(reads).hasValue(1);
        } finally {
            store.stop(0);
        }
    }

    /** A store slower than the whole remaining time: a config error, still answered before the deadline. */
    @Test
    void aStoreThatNeverAnswersInTimeIsAConfigErrorBeforeTheDeadline() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        HttpServer store = slowStore(new AtomicReference<>(""), Duration.ofSeconds(30), reads);
        try (RuntimeApiStandIn api = new RuntimeApiStandIn(); LambdaProcess function = start(api, store)) {

            Outcome outcome = function.await(api.invoke("{}", Duration.ofSeconds(8)));

            assertThat(outcome.error()).isTrue();
            assertThat(AdapterFixture.tree(outcome.body()).get("errorType").asText())
                    .isEqualTo("io.lagsnap.sink.api.config.ConfigException");
            assertThat(AdapterFixture.tree(outcome.body()).get("errorMessage").asText())
                    .startsWith("s3://lagsnap-config/prod/lagsnap.toml: cannot read config: ");
            assertThat(outcome.receivedAtMillis()).isLessThan(outcome.deadlineMillis());
        } finally {
            store.stop(0);
        }
    }
}
