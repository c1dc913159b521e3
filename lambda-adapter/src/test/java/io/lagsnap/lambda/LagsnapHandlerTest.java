package io.lagsnap.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.testkit.AdapterFixture;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/** The handler called in-process, as the Lambda runtime calls it, with events from aws-lambda-java-tests. */
class LagsnapHandlerTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() {
        Fixtures.LAMBDA.scenario(KAFKA.broker());
    }

    private Map<String, String> env(Path rows) {
        return new HashMap<>(Map.of("LAGSNAP_CONFIG", Fixtures.LAMBDA.config(KAFKA.broker().bootstrapServers(), rows)));
    }

    private static JsonNode invoke(Map<String, String> env, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LagsnapHandler(env::get).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                out, new FixedContext("req-1", 60_000));
        return AdapterFixture.tree(out.toString(StandardCharsets.UTF_8));
    }

    /** The event as Lambda delivers it: serialized by Lambda's own event serializers. */
    private static String json(ScheduledEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(ScheduledEvent.class, LagsnapHandlerTest.class.getClassLoader())
                .toJson(event, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @Event(value = "scheduled_event.json", type = ScheduledEvent.class)
    void scheduledEventSnapshotsEveryClusterAndReturnsTheReport(ScheduledEvent event) throws IOException {
        Path rows = dir.resolve("rows.ndjson");
        Map<String, String> env = env(rows);
        env.put("LAGSNAP_FAIL_ON", "never");

        JsonNode report = invoke(env, json(event));

        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(report.get("shard").asText()).isEqualTo("0/1");
        assertThat(report.get("exit_code").asInt()).isEqualTo(1);
        assertThat(report.get("clusters")).extracting(c -> c.get("name").asText() + " up=" + c.get("up").asBoolean())
                .containsExactly("local up=true", "unreachable up=false");
        assertThat(report.at("/sinks/0/delivered").asBoolean()).isTrue();
        assertThat(AdapterFixture.lagLines(rows)).containsExactly("local l-app l-orders-0 lag=6", "local l-app l-orders-1 lag=3");
    }

    @Test
    void clusterOverrideRunsOnlyThatClusterAndSucceeds() throws IOException {
        Path rows = dir.resolve("rows.ndjson");

        JsonNode report = invoke(env(rows), "{\"clusters\": [\"local\"]}");

        assertThat(report.get("exit_code").asInt()).isZero();
        assertThat(report.get("partial").asBoolean()).isFalse();
        assertThat(report.get("clusters")).hasSize(1);
        assertThat(report.at("/clusters/0/rows").asInt()).isEqualTo(2);
        assertThat(report.at("/sinks/0/name").asText()).isEqualTo("rows");
        assertThat(AdapterFixture.lagLines(rows)).containsExactly("local l-app l-orders-0 lag=6", "local l-app l-orders-1 lag=3");
    }

    @Test
    void shardOverrideIsPassedToTheRun() throws IOException {
        JsonNode report = invoke(env(dir.resolve("rows.ndjson")), "{\"clusters\": [\"local\"], \"shard\": \"1/2\"}");

        assertThat(report.get("shard").asText()).isEqualTo("1/2");
        // CRC32("l-app") is odd: the group belongs to shard 1 of 2
        assertThat(report.at("/clusters/0/groups").asInt()).isEqualTo(1);
    }

    @Test
    void failedRunThrowsWithExitCodeAndReport() {
        Map<String, String> env = env(dir.resolve("rows.ndjson"));

        // the only cluster down: the NDJSON sink keeps the last good file rather than write an empty one (exit 3)
        assertThatThrownBy(() -> invoke(env, "{\"clusters\": [\"unreachable\"]}"))
                .isInstanceOfSatisfying(RunFailedException.class, e -> {
                    assertThat(e.report().exitCode()).isEqualTo(3);
                    assertThat(e.report().clusters().get(0).up()).isFalse();
                    assertThat(e.getMessage()).startsWith("lagsnap run " + e.report().runId()
                            + " ended with exit code 3 (LAGSNAP_FAIL_ON=any); report: {\"run_id\":");
                });
    }

    @Test
    void failOnNothingDeliveredReturnsAPartialFailure() throws IOException {
        Map<String, String> env = env(dir.resolve("rows.ndjson"));
        env.put("LAGSNAP_FAIL_ON", "nothing_delivered");

        JsonNode report = invoke(env, "{\"clusters\": [\"local\", \"unreachable\"]}");

        assertThat(report.get("exit_code").asInt()).isEqualTo(1);
        assertThat(report.at("/sinks/0/delivered").asBoolean()).isTrue();
    }

    @Test
    void failOnNothingDeliveredThrowsWhenNoSinkDelivered() throws IOException {
        Path blocked = Files.writeString(dir.resolve("not-a-dir"), "a file where the sink needs a directory");
        Map<String, String> env = env(blocked.resolve("rows.ndjson"));
        env.put("LAGSNAP_FAIL_ON", "nothing_delivered");

        assertThatThrownBy(() -> invoke(env, "{\"clusters\": [\"local\"]}"))
                .isInstanceOfSatisfying(RunFailedException.class,
                        e -> assertThat(e.report().exitCode()).isEqualTo(3));
    }

    @Test
    void unknownClusterIsAConfigError() {
        assertThatThrownBy(() -> invoke(env(dir.resolve("rows.ndjson")), "{\"clusters\": [\"nope\"]}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LAGSNAP_CONFIG: no cluster named 'nope' (known: [local, unreachable])");
    }

    @Test
    void missingConfigIsAConfigError() {
        assertThatThrownBy(() -> invoke(Map.of(), "{}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("no config: set one of LAGSNAP_CONFIG, LAGSNAP_CONFIG_FILE, LAGSNAP_CONFIG_URL");
    }
}
