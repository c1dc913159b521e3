package io.lagsnap.cli.firsthour;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.PemCa;
import io.lagsnap.testkit.SecureListeners;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * klag-exporter's documented example config (its README's config.toml: every section and key, librdkafka SASL
 * properties with ${KAFKA_USER}/${KAFKA_PASSWORD}) run by lagsnap against a broker's SASL_SSL listener, with the
 * CA given as librdkafka's ssl.ca.location; the same with SCRAM, and two clusters in one file.
 */
class KlagExampleConfigTest {
    private static final PemCa CA = PemCa.get();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(
            SecureListeners.serverProps(CA, Map.of("alice", "alice-pw")));

    /** Record i of each partition was written at T0 + i s. */
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        SecureListeners.scramUser(broker, "bob", "bob-pw");
        broker.scenario().topic("fh-orders", 2)
                .produce("fh-orders", 0, 10, i -> T0 + i * 1000L)
                .produce("fh-orders", 1, 6, i -> T0 + i * 1000L)
                .commit("fh-billing", Map.of(new org.apache.kafka.common.TopicPartition("fh-orders", 0), 4L,
                        new org.apache.kafka.common.TopicPartition("fh-orders", 1), 6L))
                .commit("fh-audit", "fh-orders", 1, 2L)
                // an internal-looking topic: klag's topic_blacklist ["__.*"] keeps its row out
                .topic("__fh-internal", 1).produce("__fh-internal", 0, 3, i -> T0)
                .commit("fh-billing", "__fh-internal", 0, 1L);
    }

    /** klag-exporter's README example, verbatim but for the address, the mechanism and the CA file. */
    static String klagExample(String name, String bootstrap, String mechanism) {
        return """
                [exporter]
                poll_interval = "30s"
                http_port = 8000
                http_host = "0.0.0.0"
                granularity = "partition"  # "topic" or "partition"

                [exporter.timestamp_sampling]
                enabled = true
                cache_ttl = "60s"
                max_concurrent_fetches = 10

                [exporter.otel]
                enabled = false
                endpoint = "http://localhost:4317"
                export_interval = "60s"

                """ + cluster(name, bootstrap, mechanism, "[\".*\"]");
    }

    static String cluster(String name, String bootstrap, String mechanism, String groupWhitelist) {
        return """
                [[clusters]]
                name = "%s"
                bootstrap_servers = "%s"
                group_whitelist = %s
                group_blacklist = []
                topic_whitelist = [".*"]
                topic_blacklist = ["__.*"]  # Exclude internal topics

                [clusters.consumer_properties]
                "security.protocol" = "SASL_SSL"
                "sasl.mechanism" = "%s"
                "sasl.username" = "${KAFKA_USER}"
                "sasl.password" = "${KAFKA_PASSWORD}"
                "ssl.ca.location" = "%s"

                [clusters.labels]
                environment = "production"
                datacenter = "us-east-1"

                """.formatted(name, bootstrap, groupWhitelist, mechanism, CA.caPem());
    }

    private Cli.Result run(String toml, Map<String, String> env, String... args) throws Exception {
        Path config = Files.writeString(dir.resolve("config.toml"), toml);
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(env, all);
    }

    /** The rows lagsnap printed as NDJSON, reduced to the fields the workload determines. */
    private static List<String> rows(String stdout) {
        ObjectMapper json = new ObjectMapper();
        return stdout.lines().map(l -> {
            try {
                JsonNode r = json.readTree(l);
                return String.join(" ", r.get("cluster").asText(), r.get("group").asText(), r.get("topic").asText(),
                        r.get("partition").asText(), "committed=" + r.get("committed_offset").asText(),
                        "low=" + r.get("low_watermark").asText(), "high=" + r.get("high_watermark").asText(),
                        "lag=" + r.get("lag").asText(), "sampled=" + r.get("sampled_timestamp").asText());
            } catch (Exception e) {
                throw new AssertionError("not a JSON row: " + l, e);
            }
        }).sorted().toList();
    }

    private static List<String> expectedRows(String cluster) {
        return List.of(
                cluster + " fh-audit fh-orders 1 committed=2 low=0 high=6 lag=4 sampled=2023-11-14T22:13:22Z",
                cluster + " fh-billing fh-orders 0 committed=4 low=0 high=10 lag=6 sampled=2023-11-14T22:13:24Z",
                cluster + " fh-billing fh-orders 1 committed=6 low=0 high=6 lag=0 sampled=null");
    }

    @Test
    void theDocumentedExampleWithPlainCollectsExactRows() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers(SecureListeners.SASL_SSL);
        Map<String, String> env = Map.of("KAFKA_USER", "alice", "KAFKA_PASSWORD", "alice-pw");
        String toml = klagExample("production", bootstrap, "PLAIN");

        Cli.Result json = run(toml, env, "--format", "json");
        assertThat(json.code()).as(json.stderr()).isZero();
        assertThat(rows(json.stdout())).isEqualTo(expectedRows("production"));
        assertThat(json.stderr()).doesNotContain("alice-pw");

        Cli.Result prometheus = run(toml, env, "--format", "prometheus");
        assertThat(prometheus.stdout()).contains("kafka_consumergroup_group_lag{client_id=\"\","
                + "cluster_name=\"production\",consumer_id=\"\","
                + "datacenter=\"us-east-1\",environment=\"production\","
                + "group=\"fh-billing\",member_host=\"\",partition=\"0\",topic=\"fh-orders\"} 6.0\n");

        Cli.Result table = run(toml, env);
        assertThat(table.stdout()).contains("cluster production: up, 2 groups, 2 partitions, 3 group-partition rows");
    }

    @Test
    void theSameShapeWithScramCollectsExactRows() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers(SecureListeners.SASL_SSL);
        Map<String, String> env = Map.of("KAFKA_USER", "bob", "KAFKA_PASSWORD", "bob-pw");
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            Cli.Result r = run(klagExample("production", bootstrap, mechanism), env, "--format", "json");
            assertThat(r.code()).as(r.stderr()).isZero();
            assertThat(rows(r.stdout())).as(mechanism).isEqualTo(expectedRows("production"));
        }
    }

    @Test
    void twoClustersInOneFileEachCollectTheirOwnRows() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers(SecureListeners.SASL_SSL);
        Map<String, String> env = Map.of("KAFKA_USER", "bob", "KAFKA_PASSWORD", "bob-pw");
        String toml = klagExample("production", bootstrap, "SCRAM-SHA-512")
                + cluster("staging", bootstrap, "SCRAM-SHA-256", "[\"^fh-audit$\"]");
        Cli.Result r = run(toml, env, "--format", "json");
        assertThat(r.code()).as(r.stderr()).isZero();
        List<String> expected = new java.util.ArrayList<>(expectedRows("production"));
        expected.add(expectedRows("staging").get(0));
        assertThat(rows(r.stdout())).isEqualTo(expected.stream().sorted().toList());
    }

    @Test
    void validateBuildsTheClientConfigurationSoAJaasErrorShowsBeforeTheRun() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers(SecureListeners.SASL_SSL);
        Path good = Files.writeString(dir.resolve("good.toml"), klagExample("production", bootstrap, "PLAIN"));
        Map<String, String> env = Map.of("KAFKA_USER", "alice", "KAFKA_PASSWORD", "alice-pw");
        Cli.Result ok = Cli.run(env, "validate", "--config", good.toString());
        assertThat(ok.code()).as(ok.stderr()).isZero();
        assertThat(ok.stderr()).contains("lagsnap: " + good + " is valid: 1 cluster(s), 0 sink(s)");

        // SASL_SSL with a mechanism and no credentials: the run-time error the issue met, now a config error
        Path noLogin = Files.writeString(dir.resolve("no-login.toml"), """
                [[clusters]]
                name = "production"
                bootstrap_servers = "%s"
                [clusters.consumer_properties]
                "security.protocol" = "SASL_SSL"
                "sasl.mechanism" = "PLAIN"
                """.formatted(bootstrap));
        Cli.Result bad = Cli.run(Map.of(), "validate", "--config", noLogin.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.stderr()).contains("lagsnap: config error: " + noLogin + ": cluster \"production\": "
                + "consumer_properties: sasl.jaas.config: Could not find a 'KafkaClient' entry in the JAAS "
                + "configuration.");

        Path badModule = Files.writeString(dir.resolve("bad-module.toml"), """
                [[clusters]]
                name = "production"
                bootstrap_servers = "%s"
                [clusters.consumer_properties]
                "security.protocol" = "SASL_SSL"
                "sasl.mechanism" = "AWS_MSK_IAM"
                "sasl.jaas.config" = "com.example.NoSuchLoginModule required;"
                """.formatted(bootstrap));
        Cli.Result module = Cli.run(Map.of(), "validate", "--config", badModule.toString());
        assertThat(module.code()).isEqualTo(2);
        assertThat(module.stderr()).contains("consumer_properties: sasl.jaas.config: login module "
                + "com.example.NoSuchLoginModule is not on lagsnap's class path");
    }

    /**
     * librdkafka values under names the Java client shares: the consumer's own settings and the cipher suites are
     * checked by validate too (they only reached the sampler's consumer, or a TLS engine, at run time), and the
     * group assignment strategy, which a consumer without a group never uses, no longer stops the run.
     */
    @Test
    void validateChecksTheConsumersSettingsAndCipherSuitesAndAnAssignmentStrategyIsIgnored() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers(SecureListeners.SASL_SSL);
        Map<String, String> env = Map.of("KAFKA_USER", "alice", "KAFKA_PASSWORD", "alice-pw");
        String example = klagExample("production", bootstrap, "PLAIN");

        Path ciphers = Files.writeString(dir.resolve("ciphers.toml"), example.replace("[clusters.labels]",
                "\"ssl.cipher.suites\" = \"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256\"\n"
                        + "[clusters.labels]"));
        Cli.Result openssl = Cli.run(env, "validate", "--config", ciphers.toString());
        assertThat(openssl.code()).as(openssl.stderr()).isEqualTo(2);
        assertThat(openssl.stderr()).contains("lagsnap: config error: " + ciphers + ": cluster \"production\": "
                + "consumer_properties: TLS settings: Unsupported CipherSuite: "
                + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256");

        Path fetch = Files.writeString(dir.resolve("fetch.toml"), example.replace("[clusters.labels]",
                "\"fetch.min.bytes\" = \"lots\"\n[clusters.labels]"));
        Cli.Result consumer = Cli.run(env, "validate", "--config", fetch.toString());
        assertThat(consumer.code()).as(consumer.stderr()).isEqualTo(2);
        assertThat(consumer.stderr()).contains("lagsnap: config error: " + fetch + ": cluster \"production\": "
                + "consumer_properties: Invalid value lots for configuration fetch.min.bytes");

        String strategy = example.replace("[clusters.labels]",
                "\"partition.assignment.strategy\" = \"range,roundrobin\"\n[clusters.labels]");
        Cli.Result json = run(strategy, env, "--format", "json");
        assertThat(json.code()).as(json.stderr()).isZero();
        assertThat(rows(json.stdout())).isEqualTo(expectedRows("production"));
    }

    @Test
    void validateConnectPrintsOneVerdictPerCluster() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers(SecureListeners.SASL_SSL);
        String toml = klagExample("production", bootstrap, "SCRAM-SHA-512")
                + cluster("staging", bootstrap, "PLAIN", "[\"^fh-audit$\"]");
        Path config = Files.writeString(dir.resolve("two.toml"), toml);
        // bob has SCRAM credentials only: production logs in, staging (PLAIN) is refused
        Cli.Result r = Cli.run(Map.of("KAFKA_USER", "bob", "KAFKA_PASSWORD", "bob-pw"), "validate", "--connect",
                "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        List<String> verdicts = r.stderr().lines().filter(l -> l.startsWith("lagsnap: cluster ")).toList();
        assertThat(verdicts).hasSize(2);
        assertThat(verdicts.get(0)).startsWith("lagsnap: cluster production: OK: listed ")
                .endsWith("described topic \"fh-orders\" (2 partitions)");
        assertThat(verdicts.get(1)).startsWith("lagsnap: cluster staging: FAILED: cannot use the cluster within the "
                + "10.0 s connect budget: " + bootstrap + ": SASL authentication failed with mechanism PLAIN: ");
    }
}
