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
 * it (binary mode: ce-* headers, the Pub/Sub envelope as the body). The invoker answers a CloudEvent that the
 * function acknowledges (returns from) with 2xx, and one it throws with 500, which Pub/Sub would redeliver.
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
    /** LAGSNAP_RETRY_FAILED_RUNS=true, and a config without [[sinks]]. */
    static InvokerProcess retrying;

    @BeforeAll
    static void startFunctions() throws IOException {
        Fixtures.GCF.scenario(KAFKA.broker());
        rows = dir.resolve("rows.ndjson");
        // K_SERVICE marks a Cloud Functions environment: the invoker then logs Cloud Logging JSON
        Map<String, String> env = Map.of("LAGSNAP_CONFIG", Fixtures.GCF.config(KAFKA.broker().bootstrapServers(), rows),
                "K_SERVICE", "lagsnap");
        http = InvokerProcess.start("io.lagsnap.gcf.LagsnapHttpFunction", dir, env);
        pubsub = InvokerProcess.start("io.lagsnap.gcf.LagsnapCloudEventFunction", dir, env);
        String config = Fixtures.GCF.config(KAFKA.broker().bootstrapServers(), rows);
        retrying = InvokerProcess.start("io.lagsnap.gcf.LagsnapCloudEventFunction",
                Files.createDirectories(dir.resolve("retrying")), Map.of(
                        "LAGSNAP_CONFIG", config.substring(0, config.indexOf("[[sinks]]")),
                        "LAGSNAP_RETRY_FAILED_RUNS", "true",
                        "K_SERVICE", "lagsnap"));
    }

    @AfterAll
    static void stopFunctions() {
        if (http != null) {
            http.close();
        }
        if (pubsub != null) {
            pubsub.close();
        }
        if (retrying != null) {
            retrying.close();
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
        return publish(pubsub, data);
    }

    private static HttpResponse<String> publish(InvokerProcess function, String data)
            throws IOException, InterruptedException {
        String encoded = Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8));
        return deliver(function, """
                {"message": {"data": "%s", "messageId": "10520283", "publishTime": "2025-01-01T00:00:00Z"},
                 "subscription": "projects/demo/subscriptions/eventarc-lagsnap"}""".formatted(encoded));
    }

    /** A CloudEvent in binary mode whose body, the Pub/Sub envelope, is {@code envelope} as it is. */
    private static HttpResponse<String> deliver(InvokerProcess function, String envelope)
            throws IOException, InterruptedException {
        return post(function, envelope, Map.of(
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
        // nothing collected: the NDJSON sink keeps its last good file and fails, so nothing was delivered
        assertThat(report.get("exit_code").asInt()).isEqualTo(3);
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

    /** A down cluster is transient, but the next scheduled message is the retry: acknowledged, logged. */
    @Test
    void failedPubSubRunIsLoggedAndAcknowledged() throws Exception {
        HttpResponse<String> response = publish("{\"clusters\": [\"unreachable\"]}");

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        assertThat(messages(pubsub, "ERROR")).anySatisfy(m -> assertThat(m)
                .contains("ended with exit code 3 (LAGSNAP_FAIL_ON=any); report: ")
                .endsWith("(acknowledged: the next scheduled message is the retry; "
                        + "LAGSNAP_RETRY_FAILED_RUNS=true throws instead)"));
    }

    @Test
    void failedPubSubRunThrowsWhenRetriesAreAskedFor() throws Exception {
        HttpResponse<String> response = publish(retrying, "{\"clusters\": [\"unreachable\"]}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(retrying.logLines()).anySatisfy(line -> assertThat(line).contains(
                "ended with exit code 1 (LAGSNAP_FAIL_ON=any); report: "));
    }

    /**
     * Poison messages can never succeed: each is acknowledged even with retries asked for, nothing runs, and
     * lagsnap_invocation_rejected_total counts them in the log.
     */
    @Test
    void poisonMessagesAreAcknowledgedCountedAndNotRun() throws Exception {
        long runsBefore = runs(retrying);
        List<HttpResponse<String>> responses = List.of(
                deliver(retrying, "{\"message\": {\"data\": 123}}"),
                publish(retrying, "[1, 2]"),
                deliver(retrying, "{\"message\": {\"data\": \"not base64!\"}}"),
                publish(retrying, "{\"shard\": \"9/4\"}"),
                // a shard's message with a typo: run without its overrides, it would snapshot every group
                publish(retrying, "{\"shard\": \"0/4\""));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isBetween(200, 299));
        assertThat(messages(retrying, "ERROR")).filteredOn(m -> m.contains(" rejected and acknowledged "))
                .extracting(m -> m.substring(m.indexOf(": ") + 2))
                .containsExactly(
                        "CloudEvent message.data: expected a base64 string, got number; "
                                + "lagsnap_invocation_rejected_total{reason=\"message\"} 1",
                        "Pub/Sub message data: expected a JSON object such as {\"shard\": \"0/4\"}, got array; "
                                + "lagsnap_invocation_rejected_total{reason=\"message\"} 2",
                        "CloudEvent message.data is not base64; "
                                + "lagsnap_invocation_rejected_total{reason=\"message\"} 3",
                        "Pub/Sub message data.shard: shard 9/4: need 0 <= INDEX < COUNT; "
                                + "lagsnap_invocation_rejected_total{reason=\"message\"} 4",
                        "Pub/Sub message data is not valid JSON: Unexpected end-of-input: expected close marker for "
                                + "Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
                                + "disabled); line: 1, column: 1]); "
                                + "lagsnap_invocation_rejected_total{reason=\"message\"} 5");
        assertThat(runs(retrying)).isEqualTo(runsBefore);
    }

    /** How many runs the function logged as finished. */
    private static long runs(InvokerProcess function) {
        return messages(function, "INFO").stream().filter(m -> m.startsWith("run ") && m.contains(" finished in "))
                .count();
    }

    @Test
    void aConfigErrorIsAcknowledgedAndCounted() throws Exception {
        HttpResponse<String> response = publish("{\"clusters\": [\"nope\"]}");

        assertThat(response.statusCode()).isBetween(200, 299);
        assertThat(messages(pubsub, "ERROR")).anySatisfy(m -> assertThat(m).endsWith(
                ": LAGSNAP_CONFIG: no cluster named 'nope' (known: [local, unreachable]); "
                        + "lagsnap_invocation_rejected_total{reason=\"config\"} 1"));
        assertThat(rows).doesNotExist();
    }

    /** {@code gcloud pubsub topics publish T --message=now}: not JSON, so a run with no overrides (#15.9). */
    @Test
    void aMessageThatIsNotJsonRunsWithNoOverrides() throws Exception {
        HttpResponse<String> response = publish("now");

        assertThat(response.statusCode()).isBetween(200, 299);
        // both clusters ran: the unreachable one fails the run, which is acknowledged
        assertThat(AdapterFixture.lagLines(rows)).containsExactly("local g-app g-orders-0 lag=8", "local g-app g-orders-1 lag=1");
        assertThat(messages(pubsub, "ERROR")).anySatisfy(m -> assertThat(m).contains("\"name\":\"unreachable\""));
    }

    /** Without [[sinks]] a function writes the snapshot to its log, one JSON row per line. */
    @Test
    void withoutSinksTheRowsGoToTheFunctionLog() throws Exception {
        HttpResponse<String> response = publish(retrying, "{\"clusters\": [\"local\"]}");

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        assertThat(retrying.logLines().stream().filter(l -> l.startsWith("{") && l.contains("\"cluster\":\"local\""))
                .map(AdapterFixture::tree).map(r -> r.get("group").asText() + " " + r.get("partition").asInt()
                        + " lag=" + r.get("lag").asLong()).sorted())
                .containsExactly("g-app 0 lag=8", "g-app 1 lag=1");
    }

    @Test
    void httpBodyThatIsJsonButNotAnObjectIsRejectedWith400() throws Exception {
        HttpResponse<String> response = post(http, "[1, 2]", Map.of());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(AdapterFixture.tree(response.body()).get("error").asText())
                .isEqualTo("request body: expected a JSON object such as {\"shard\": \"0/4\"}, got array");
        assertThat(rows).doesNotExist();
    }

    /** The messages of the function's Cloud Logging JSON lines of {@code severity}. */
    private static List<String> messages(InvokerProcess function, String severity) {
        return function.logLines().stream().filter(l -> l.startsWith("{") && l.contains("\"severity\""))
                .map(AdapterFixture::tree).filter(l -> l.path("severity").asText().equals(severity))
                .map(l -> l.get("message").asText()).toList();
    }

    /** The function's "report: {...}" log lines, as the JSON objects Cloud Logging receives. */
    private static List<JsonNode> reportLines(InvokerProcess function) {
        return function.logLines().stream().filter(l -> l.startsWith("{") && l.contains("\"message\": \"report: "))
                .map(AdapterFixture::tree).toList();
    }
}
