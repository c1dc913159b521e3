package io.lagsnap.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lagsnap.lambda.RuntimeApiStandIn.Outcome;
import io.lagsnap.testkit.AdapterFixture;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ${ssm:NAME}} and {@code ${aws-secret:NAME}} in the config, read at run time by the packaged function under
 * the real runtime interface client, cached across warm invocations, and masked by the run's scrubber (#15.10).
 *
 * <p>Secrets Manager and SSM cannot run here, so a small local HTTP server stands in for both: it speaks their JSON
 * protocol (awsJson1.1: a POST with {@code X-Amz-Target}, JSON in and out) for GetSecretValue and GetParameter,
 * reached through the SDK's standard endpoint variables. The SDK clients, their signing and parsing are real.
 */
class AwsReferencesIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Call(String target, JsonNode body, String authorization) {
    }

    /** Answers GetSecretValue and GetParameter from {@code values}; records every call. */
    private static HttpServer secretStores(Map<String, String> values, List<Call> calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                calls.add(new Call(target, body, exchange.getRequestHeaders().getFirst("Authorization")));
                if ("secretsmanager.GetSecretValue".equals(target) && values.containsKey(body.path("SecretId").asText())) {
                    String name = body.get("SecretId").asText();
                    reply(exchange, 200, Map.of("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name
                            + "-AbCdEf", "Name", name, "SecretString", values.get(name), "VersionId", "v1"));
                } else if ("AmazonSSM.GetParameter".equals(target) && values.containsKey(body.path("Name").asText())) {
                    String name = body.get("Name").asText();
                    reply(exchange, 200, Map.of("Parameter", Map.of("Name", name, "Type", "SecureString",
                            "Value", values.get(name), "Version", 1, "DataType", "text")));
                } else {
                    reply(exchange, 400, Map.of("__type", "ResourceNotFoundException",
                            "message", "not found: " + body));
                }
            }
        });
        server.start();
        return server;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void referencesAreReadOnceAcrossWarmInvocationsAndNeverShown() throws Exception {
        Fixtures.LAMBDA.scenario(KAFKA.broker());
        Path rows = dir.resolve("rows.ndjson");
        List<Call> calls = new CopyOnWriteArrayList<>();
        HttpServer stores = secretStores(Map.of(
                "/lagsnap/bootstrap", KAFKA.broker().bootstrapServers(),
                "lagsnap/rows-path", rows.toString()), calls);
        String endpoint = "http://127.0.0.1:" + stores.getAddress().getPort();
        String config = Fixtures.LAMBDA.config("${ssm:/lagsnap/bootstrap}", Path.of("${aws-secret:lagsnap/rows-path}"));
        try (RuntimeApiStandIn api = new RuntimeApiStandIn();
             LambdaProcess function = LambdaProcess.start(dir, api, Map.of(
                     "LAGSNAP_CONFIG", config,
                     "AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint,
                     "AWS_ENDPOINT_URL_SSM", endpoint,
                     "AWS_ACCESS_KEY_ID", "stand-in",
                     "AWS_SECRET_ACCESS_KEY", "stand-in-secret"))) {

            for (int invocation = 1; invocation <= 2; invocation++) {
                Outcome outcome = function.await(api.invoke("{\"clusters\": [\"local\"]}", Duration.ofSeconds(60)));

                assertThat(outcome.error()).as(outcome.body()).isFalse();
                JsonNode report = AdapterFixture.tree(outcome.body());
                assertThat(report.get("exit_code").asInt()).isZero();
                assertThat(AdapterFixture.lagLines(rows))
                        .containsExactly("local l-app l-orders-0 lag=6", "local l-app l-orders-1 lag=3");
                // the file sink names its path in the report: resolved from a secret, it is masked there
                assertThat(report.at("/sinks/0/detail").asText()).startsWith("wrote json to [redacted] (");
                assertThat(outcome.body()).doesNotContain(rows.toString());
            }
            assertThat(calls).extracting(Call::target)
                    .containsExactlyInAnyOrder("AmazonSSM.GetParameter", "secretsmanager.GetSecretValue");
            assertThat(calls).allSatisfy(c -> assertThat(c.authorization()).startsWith("AWS4-HMAC-SHA256 "));
            assertThat(calls).filteredOn(c -> c.target().startsWith("AmazonSSM")).singleElement()
                    .satisfies(c -> assertThat(c.body().get("WithDecryption").asBoolean()).isTrue());
            assertThat(function.logLines()).noneSatisfy(l -> assertThat(l).contains(rows.toString()));
        } finally {
            stores.stop(0);
        }
    }

    @Test
    void anUnknownSecretIsAConfigErrorNamingTheReference() throws Exception {
        List<Call> calls = new CopyOnWriteArrayList<>();
        HttpServer stores = secretStores(Map.of(), calls);
        String endpoint = "http://127.0.0.1:" + stores.getAddress().getPort();
        try (RuntimeApiStandIn api = new RuntimeApiStandIn();
             LambdaProcess function = LambdaProcess.start(dir, api, Map.of(
                     "LAGSNAP_CONFIG", Fixtures.LAMBDA.config("${aws-secret:prod/absent}", dir.resolve("rows")),
                     "AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint,
                     "AWS_ACCESS_KEY_ID", "stand-in",
                     "AWS_SECRET_ACCESS_KEY", "stand-in-secret"))) {

            Outcome outcome = function.await(api.invoke("{}", Duration.ofSeconds(60)));

            assertThat(outcome.error()).isTrue();
            JsonNode error = AdapterFixture.tree(outcome.body());
            assertThat(error.get("errorType").asText()).isEqualTo("io.lagsnap.sink.api.config.ConfigException");
            assertThat(error.get("errorMessage").asText()).startsWith("${aws-secret:prod/absent}: cannot read it: ");
        } finally {
            stores.stop(0);
        }
    }
}
