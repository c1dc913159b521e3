package io.lagsnap.it.security;

import io.lagsnap.testkit.PemCa;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.testkit.CliProcess;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One CLI run against a SCRAM-over-TLS broker with every kind of secret a config holds (SASL password, truststore
 * password, an OTLP header token, a Pushgateway bearer token) and records whose keys and values carry a marker; the
 * run samples those very records for time lag, logs at DEBUG, and two of its sinks fail (their error details are
 * output too). Then every byte it wrote is searched: stdout, stderr (logs and the run report), every sink's files.
 */
class NothingSecretLeaksTest {
    private static final PemCa CA = PemCa.get();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(SecureBroker.serverProps(CA));

    private static final String SCRAM_PASSWORD = "scram-Pa55-q7Zx";
    private static final String OTLP_TOKEN = "otlp-Tok3n-w8Yv";
    private static final String PUSH_TOKEN = "push-Tok3n-k2Jm";
    private static final String VALUE_MARKER = "PAYLOAD-VALUE-MARKER-5e1f";
    private static final String KEY_MARKER = "PAYLOAD-KEY-MARKER-9c3d";

    @TempDir
    static Path dir;

    private static CliProcess.Result run;
    /** Every output of the run by name: stdout, stderr, and each file the sinks wrote. */
    private static final Map<String, String> outputs = new LinkedHashMap<>();

    @BeforeAll
    static void runOnce() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        SecureBroker.scramUser(broker, "lagsnap-cli", SCRAM_PASSWORD);
        SecureBroker.grant(broker, "User:lagsnap-cli", SecureBroker.DOCUMENTED_ACLS);
        long now = System.currentTimeMillis();
        broker.scenario().topic("leak-t", 2)
                .produce("leak-t", 0, 10, i -> now - 60_000, i -> (VALUE_MARKER + i).getBytes(StandardCharsets.UTF_8))
                .produceKeyed("leak-t", 1, 10, i -> KEY_MARKER + i, i -> now - 60_000)
                .commit("leak-g", Map.of(new TopicPartition("leak-t", 0), 2L, new TopicPartition("leak-t", 1), 2L));

        Path out = Files.createDirectories(dir.resolve("out"));
        // a file:// store is a bucket: it must exist
        Files.createDirectories(out.resolve("store"));
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "secured"
                bootstrap_servers = "%s"
                group_whitelist = ["^leak-"]
                [clusters.consumer_properties]
                "security.protocol" = "SASL_SSL"
                "sasl.mechanism" = "SCRAM-SHA-512"
                "sasl.jaas.config" = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="lagsnap-cli" password="${SCRAM_PW}";'
                "ssl.truststore.type" = "PKCS12"
                "ssl.truststore.location" = "%s"
                "ssl.truststore.password" = "${TRUST_PW}"
                [[sinks]]
                type = "file"
                name = "rows"
                format = "json"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "metrics"
                format = "prometheus"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "metrics-json"
                format = "metrics_json"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "page"
                format = "html"
                path = "%s"
                [[sinks]]
                type = "stdout"
                format = "table"
                [[sinks]]
                type = "object_store"
                url = "file://%s"
                latest = true
                [[sinks]]
                type = "otlp"
                endpoint = "http://127.0.0.1:1"
                retries = 0
                timeout = "2s"
                headers = { authorization = "Bearer ${OTLP_TOKEN}" }
                [[sinks]]
                type = "pushgateway"
                url = "http://127.0.0.1:1"
                bearer_token_env = "PUSH_TOKEN"
                retries = 0
                timeout = "2s"
                """.formatted(broker.bootstrapServers(SecureBroker.SCRAM), CA.truststore(), out.resolve("rows.ndjson"),
                out.resolve("metrics.prom"), out.resolve("metrics.json"), out.resolve("page.html"),
                out.resolve("store")));

        run = CliProcess.start("leak", config, Map.of("SCRAM_PW", SCRAM_PASSWORD, "TRUST_PW", CA.storePassword(),
                        "OTLP_TOKEN", OTLP_TOKEN, "PUSH_TOKEN", PUSH_TOKEN), dir,
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=debug"))
                .await(Duration.ofSeconds(90));
        outputs.put("stdout", run.stdout());
        outputs.put("stderr", run.stderr());
        try (Stream<Path> files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                outputs.put(out.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void theRunSampledTheMarkedRecordsLoggedAtDebugAndEverySinkLeftOutput() throws Exception {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(run.stderr().lines().filter(l -> l.startsWith("{\"run_id\""))
                .reduce((a, b) -> b).orElseThrow());
        JsonNode cluster = report.get("clusters").get(0);
        assertThat(cluster.get("up").asBoolean()).isTrue();
        assertThat(cluster.get("errors")).isEmpty();
        assertThat(cluster.get("sampling").get("sampled").asLong()).isEqualTo(2);
        assertThat(cluster.get("sampling").get("bytes_fetched").asLong()).isPositive();
        assertThat(report.get("sinks")).as(report.get("sinks").toString()).extracting(s -> s.get("type").asText() + "=" + s.get("delivered").asBoolean())
                .containsExactly("file=true", "file=true", "file=true", "file=true", "stdout=true",
                        "object_store=true", "otlp=false", "pushgateway=false");
        assertThat(run.stderr()).contains("DEBUG");
        assertThat(outputs).containsKeys("rows.ndjson", "metrics.prom", "metrics.json", "page.html");
        assertThat(outputs.keySet()).anyMatch(k -> k.startsWith("store/"));
        assertThat(outputs.get("stdout")).contains("leak-g");
    }

    @Test
    void noSecretValueAppearsInAnyOutput() {
        for (String secret : List.of(SCRAM_PASSWORD, CA.storePassword(), OTLP_TOKEN, PUSH_TOKEN)) {
            outputs.forEach((name, text) -> assertThat(text).as("%s in %s", secret, name).doesNotContain(secret));
        }
    }

    @Test
    void noRecordKeyOrValueAppearsInAnyOutput() {
        for (String marker : List.of(VALUE_MARKER, KEY_MARKER)) {
            for (String form : List.of(marker, Base64.getEncoder().encodeToString(marker.getBytes(
                    StandardCharsets.UTF_8)).substring(0, 20))) {
                outputs.forEach((name, text) -> assertThat(text).as("%s in %s", form, name).doesNotContain(form));
            }
        }
    }
}
