package io.lagsnap.gcf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lagsnap.testkit.AdapterFixture;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both functions in the packaged jar, served by the real Functions Framework invoker, against the embedded broker:
 * the HTTP function as Cloud Scheduler calls it, the CloudEvent function with a Pub/Sub event as Eventarc delivers
 * it (binary mode: ce-* headers, the Pub/Sub envelope as the body).
 */
class FunctionsFrameworkIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static Path rows;
    static InvokerProcess http;
    static InvokerProcess pubsub;

    @BeforeAll
    static void startFunctions() throws IOException {
        Fixtures.GCF.scenario(KAFKA.broker());
        rows = dir.resolve("rows.ndjson");
        // K_SERVICE marks a Cloud Functions environment: the invoker then logs Cloud Logging JSON
        Map<String, String> env = Map.of("LAGSNAP_CONFIG", Fixtures.GCF.config(KAFKA.broker().bootstrapServers(), rows),
                "K_SERVICE", "lagsnap");
        http = InvokerProcess.start("io.lagsnap.gcf.LagsnapHttpFunction", dir, env);
        pubsub = InvokerProcess.start("io.lagsnap.gcf.LagsnapCloudEventFunction", dir, env);
    }

    @AfterAll
    static void stopFunctions() {
        if (http != null) {
            http.close();
        }
        if (pubsub != null) {
            pubsub.close();
        }
    }

    @BeforeEach
    void noRowsYet() throws IOException {
        Files.deleteIfExists(rows);
    }

    private static HttpResponse<String> post(InvokerProcess function, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(function.uri()).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A Pub/Sub "messagePublished" CloudEvent in binary mode whose message data is {@code data}. */
    private static HttpResponse<String> publish(String data) throws IOException, InterruptedException {
        String encoded = Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8));
        String envelope = """
                {"message": {"data": "%s", "messageId": "10520283", "publishTime": "2025-01-01T00:00:00Z"},
                 "subscription": "projects/demo/subscriptions/eventarc-lagsnap"}""".formatted(encoded);
        return post(pubsub, envelope, Map.of(
                "Content-Type", "application/json",
                "ce-id", "10520283",
                "ce-specversion", "1.0",
                "ce-type", "google.cloud.pubsub.topic.v1.messagePublished",
                "ce-source", "//pubsub.googleapis.com/projects/demo/topics/lagsnap-schedule",
                "ce-time", "2025-01-01T00:00:00Z"));
    }

    @Test
    void httpRunAnswers200WithTheReport() throws Exception {
        HttpResponse<String> response = post(http, "{\"clusters\": [\"local\"]}", Map.of());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonNode report = AdapterFixture.tree(response.body());
        assertThat(report.get("exit_code").asInt()).isZero();
        assertThat(report.at("/clusters/0/name").asText()).isEqualTo("local");
        assertThat(report.at("/sinks/0/delivered").asBoolean()).isTrue();
        assertThat(AdapterFixture.lagLines(rows)).containsExactly("local g-app g-orders-0 lag=8", "local g-app g-orders-1 lag=1");
    }

    @Test
    void failedHttpRunAnswers500WithTheReport() throws Exception {
        HttpResponse<String> response = post(http, "{\"clusters\": [\"unreachable\"]}", Map.of());

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode report = AdapterFixture.tree(response.body());
        assertThat(report.get("exit_code").asInt()).isEqualTo(1);
        assertThat(report.at("/clusters/0/up").asBoolean()).isFalse();
    }

    @Test
    void httpConfigErrorAnswers400WithTheMessage() throws Exception {
        HttpResponse<String> response = post(http, "{\"shard\": \"2/2\"}", Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(AdapterFixture.tree(response.body()).get("error").asText())
                .isEqualTo("request body.shard: shard 2/2: need 0 <= INDEX < COUNT");
        assertThat(rows).doesNotExist();
    }

    @Test
    void pubSubMessageRunsTheSnapshot() throws Exception {
        HttpResponse<String> response = publish("{\"clusters\": [\"local\"]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(AdapterFixture.lagLines(rows)).containsExactly("local g-app g-orders-0 lag=8", "local g-app g-orders-1 lag=1");
        assertThat(reportLines(pubsub)).anySatisfy(line -> {
            assertThat(line.get("severity").asText()).isEqualTo("INFO");
            JsonNode report = AdapterFixture.tree(line.get("message").asText().substring("report: ".length()));
            assertThat(report.at("/clusters/0/rows").asInt()).isEqualTo(2);
        });
    }

    @Test
    void failedPubSubRunIsAnError() throws Exception {
        HttpResponse<String> response = publish("{\"clusters\": [\"unreachable\"]}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(pubsub.logLines()).anySatisfy(line -> assertThat(line).contains(
                "ended with exit code 1 (LAGSNAP_FAIL_ON=any); report: "));
    }

    /** The function's "report: {...}" log lines, as the JSON objects Cloud Logging receives. */
    private static List<JsonNode> reportLines(InvokerProcess function) {
        return function.logLines().stream().filter(l -> l.startsWith("{") && l.contains("\"message\": \"report: "))
                .map(AdapterFixture::tree).toList();
    }
}
