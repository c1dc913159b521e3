package io.lagsnap.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lagsnap.lambda.RuntimeApiStandIn.Outcome;
import io.lagsnap.testkit.AdapterFixture;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged zip invoked through the real AWS Lambda runtime interface client, against the embedded broker. One
 * warm function process serves every test, as a Lambda container serves consecutive invocations.
 */
class LambdaRuntimeIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    static Path dir;
    static Path rows;
    static RuntimeApiStandIn api;
    static LambdaProcess function;

    @BeforeAll
    static void startFunction() throws IOException {
        Fixtures.LAMBDA.scenario(KAFKA.broker());
        rows = dir.resolve("rows.ndjson");
        api = new RuntimeApiStandIn();
        function = LambdaProcess.start(dir, api,
                Map.of("LAGSNAP_CONFIG", Fixtures.LAMBDA.config(KAFKA.broker().bootstrapServers(), rows)));
    }

    @AfterAll
    static void stopFunction() {
        if (function != null) {
            function.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @BeforeEach
    void noRowsYet() throws IOException {
        Files.deleteIfExists(rows);
    }

    @Test
    void invocationReturnsTheRunReportAndDeliversTheRows() {
        Outcome outcome = function.await(api.invoke("{\"clusters\": [\"local\"]}", Duration.ofSeconds(60)));

        assertThat(outcome.error()).as(outcome.body()).isFalse();
        JsonNode report = AdapterFixture.tree(outcome.body());
        assertThat(report.fieldNames()).toIterable().containsExactly(
                "run_id", "started_at", "duration_ms", "shard", "exit_code", "partial", "clusters", "sinks");
        assertThat(report.get("exit_code").asInt()).isZero();
        assertThat(report.at("/clusters/0/name").asText()).isEqualTo("local");
        assertThat(report.at("/clusters/0/rows").asInt()).isEqualTo(2);
        assertThat(report.at("/sinks/0/delivered").asBoolean()).isTrue();
        assertThat(AdapterFixture.lagLines(rows)).containsExactly("local l-app l-orders-0 lag=6", "local l-app l-orders-1 lag=3");
    }

    @Test
    void logsAreOneJsonObjectPerLine() {
        function.await(api.invoke("{\"clusters\": [\"local\"]}", Duration.ofSeconds(60)));

        List<JsonNode> runnerLines = function.logLines().stream().filter(l -> l.contains("io.lagsnap.core.run.Runner"))
                .map(AdapterFixture::tree).toList();
        assertThat(runnerLines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.fieldNames()).toIterable().containsExactly("timestamp", "level", "logger", "message");
            assertThat(line.get("logger").asText()).isEqualTo("io.lagsnap.core.run.Runner");
        });
        assertThat(runnerLines).anySatisfy(line -> assertThat(line.get("message").asText()).matches(
                "run [0-9a-f]{12} finished in \\d+ ms with exit code 0"));
    }

    @Test
    void unreachableClusterFailsTheInvocation() {
        Outcome outcome = function.await(api.invoke("{\"clusters\": [\"unreachable\"]}", Duration.ofSeconds(60)));

        assertThat(outcome.error()).isTrue();
        JsonNode error = AdapterFixture.tree(outcome.body());
        assertThat(error.get("errorType").asText()).isEqualTo("io.lagsnap.lambda.RunFailedException");
        assertThat(error.get("errorMessage").asText()).matches(
                "lagsnap run [0-9a-f]{12} ended with exit code 3 \\(LAGSNAP_FAIL_ON=any\\); report: \\{.*");
        JsonNode report = reportIn(error);
        assertThat(report.at("/clusters/0/name").asText()).isEqualTo("unreachable");
        assertThat(report.at("/clusters/0/up").asBoolean()).isFalse();
        // nothing was collected: the NDJSON sink keeps its last good file instead of writing an empty one
        assertThat(report.at("/sinks/0/delivered").asBoolean()).isFalse();
        assertThat(report.at("/sinks/0/detail").asText()).startsWith("no cluster was collected: kept the previous ");
    }

    @Test
    void lambdasRemainingTimeBoundsTheRun() {
        // 4 s left: a 1 s margin leaves 3 s, less than the config's 20 s run deadline and 3 s Kafka timeout
        Outcome outcome = function.await(api.invoke("{\"clusters\": [\"unreachable\"]}", Duration.ofSeconds(4)));

        assertThat(outcome.error()).isTrue();
        assertThat(outcome.receivedAtMillis()).isLessThan(outcome.deadlineMillis());
        assertThat(reportIn(AdapterFixture.tree(outcome.body())).at("/clusters/0/up").asBoolean()).isFalse();
    }

    @Test
    void configErrorFailsWithItsMessage() {
        Outcome outcome = function.await(api.invoke("{\"clusters\": [\"nope\"]}", Duration.ofSeconds(60)));

        assertThat(outcome.error()).isTrue();
        JsonNode error = AdapterFixture.tree(outcome.body());
        assertThat(error.get("errorType").asText()).isEqualTo("io.lagsnap.sink.api.config.ConfigException");
        assertThat(error.get("errorMessage").asText())
                .isEqualTo("LAGSNAP_CONFIG: no cluster named 'nope' (known: [local, unreachable])");
        assertThat(rows).doesNotExist();
    }

    private static JsonNode reportIn(JsonNode error) {
        String message = error.get("errorMessage").asText();
        return AdapterFixture.tree(message.substring(message.indexOf("report: ") + "report: ".length()));
    }
}
