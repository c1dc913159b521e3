package io.lagsnap.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Granularity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static final Map<String, String> ENV = Map.of("KAFKA_USER", "alice", "BOOT", "kafka:29092");
    private static final String UNTRANSLATABLE = "not a property of the Java Kafka client (a librdkafka-only "
            + "setting?) and lagsnap has no translation for it; remove it or use the Java client's equivalent";
    private final ConfigLoader loader = new ConfigLoader(ENV::get);

    private LagsnapConfig parse(String toml) {
        return loader.parse(toml, "config.toml");
    }

    private static String cluster(String extra) {
        return "[[clusters]]\nname = \"prod\"\nbootstrap_servers = \"localhost:9092\"\n" + extra;
    }

    /** klag-exporter's own example config, with every server-only key, loads unchanged. */
    @Test
    void loadsAKlagExporterConfigUnchangedAndWarnsOncePerServerOnlyKey() {
        LagsnapConfig c = parse("""
                [exporter]
                poll_interval = "30s"
                http_port = 8000
                http_host = "0.0.0.0"
                granularity = "partition"

                [exporter.timestamp_sampling]
                enabled = true
                cache_ttl = "60s"
                max_concurrent_fetches = 10

                [exporter.otel]
                enabled = false
                endpoint = "http://localhost:4317"

                [exporter.performance]
                kafka_timeout = "30s"
                offset_fetch_timeout = "10s"
                max_concurrent_groups = 10
                max_concurrent_watermarks = 50

                [exporter.leadership]
                enabled = false

                [[clusters]]
                name = "production"
                bootstrap_servers = "kafka1:9092,kafka2:9092"
                group_whitelist = [".*"]
                group_blacklist = ["^console-consumer-"]
                topic_whitelist = [".*"]
                topic_blacklist = ["__.*"]

                [clusters.consumer_properties]
                "security.protocol" = "SASL_SSL"
                "sasl.mechanism" = "PLAIN"
                "sasl.username" = "${KAFKA_USER}"
                "sasl.password" = "pw-7f3k"
                "session.timeout.ms" = 30000

                [clusters.labels]
                environment = "production"
                """);
        assertThat(c.exporter().granularity()).isEqualTo(Granularity.PARTITION);
        assertThat(c.exporter().performance().kafkaTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.exporter().performance().offsetFetchTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.exporter().timestampSampling().enabled()).isTrue();
        ClusterConfig prod = c.clusters().get(0);
        assertThat(prod.bootstrapServers()).isEqualTo("kafka1:9092,kafka2:9092");
        assertThat(prod.consumerProperties()).containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"pw-7f3k\";")
                .containsEntry("session.timeout.ms", "30000");
        assertThat(prod.labels()).containsExactly(Map.entry("environment", "production"));
        assertThat(prod.keepsGroup("orders")).isTrue();
        assertThat(prod.keepsGroup("console-consumer-123")).isFalse();
        assertThat(prod.keepsTopic("__consumer_offsets")).isFalse();
        assertThat(c.warnings()).containsExactly(
                "config.toml: exporter.poll_interval is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.http_port is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.http_host is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.otel is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.leadership is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.timestamp_sampling.cache_ttl is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.timestamp_sampling.max_concurrent_fetches is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.performance.max_concurrent_groups is a klag-exporter server setting; a one-shot lagsnap run ignores it",
                "config.toml: exporter.performance.max_concurrent_watermarks is a klag-exporter server setting; a one-shot lagsnap run ignores it");
    }

    /**
     * The keys newer klag-exporter releases added (its config.example.toml, and what its Helm chart always writes:
     * timestamp_sampling.mode, performance.client_recycle_interval) load with a warning each, like the older ones.
     */
    @Test
    void loadsTheKeysOfNewerKlagExporterReleasesWithAWarningEach() {
        LagsnapConfig c = parse("""
                [exporter]
                staleness_threshold = "3m"

                [exporter.timestamp_sampling]
                enabled = true
                mode = "rate"
                fetch_timeout = "5s"
                skip_data_loss_partitions = false
                rate_history_samples = 5
                rate_history_max_age = "10m"
                rate_min_msgs_per_sec = 0.01

                [exporter.performance]
                group_fetch_retries = 0
                client_recycle_interval = 50
                max_blocking_threads = 64
                compacted_topics_cache_ttl = "1h"
                metadata_cache_ttl = "5m"
                consumer_groups_cache_ttl = "1m"
                """ + cluster(""));
        assertThat(c.exporter().timestampSampling().fetchTimeout()).isEqualTo(Duration.ofSeconds(5));
        String ignored = " is a klag-exporter server setting; a one-shot lagsnap run ignores it";
        assertThat(c.warnings()).containsExactly(
                "config.toml: exporter.staleness_threshold" + ignored,
                "config.toml: exporter.timestamp_sampling.rate_history_samples" + ignored,
                "config.toml: exporter.timestamp_sampling.rate_history_max_age" + ignored,
                "config.toml: exporter.timestamp_sampling.rate_min_msgs_per_sec" + ignored,
                "config.toml: exporter.timestamp_sampling.mode is ignored: lagsnap always reads the record at the "
                        + "committed offset (klag-exporter's \"message\" mode)",
                "config.toml: exporter.performance.group_fetch_retries" + ignored,
                "config.toml: exporter.performance.client_recycle_interval" + ignored,
                "config.toml: exporter.performance.max_blocking_threads" + ignored,
                "config.toml: exporter.performance.compacted_topics_cache_ttl" + ignored,
                "config.toml: exporter.performance.metadata_cache_ttl" + ignored,
                "config.toml: exporter.performance.consumer_groups_cache_ttl" + ignored);
        assertThatThrownBy(() -> parse("[exporter.timestamp_sampling]\nmode = \"guess\"\n" + cluster("")))
                .hasMessageContaining("exporter.timestamp_sampling.mode: \"guess\" is not one of");
    }

    /** klag-exporter's [clusters.aws_msk_iam] block: MSK IAM as examples/msk-iam.toml spells it out. */
    @Test
    void klagExportersAwsMskIamBlockBecomesTheJavaClientsMskIamSettings() {
        ClusterConfig msk = parse(cluster("[clusters.aws_msk_iam]\nregion = \"eu-west-1\"\n")).clusters().get(0);
        assertThat(msk.consumerProperties()).containsOnly(
                Map.entry("sasl.client.callback.handler.class",
                        "software.amazon.msk.auth.iam.IAMClientCallbackHandler"),
                Map.entry("sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;"),
                Map.entry("sasl.mechanism", "AWS_MSK_IAM"),
                Map.entry("security.protocol", "SASL_SSL"));
        // an empty block turns it on too, as in klag-exporter
        assertThat(parse(cluster("[clusters.aws_msk_iam]\n")).clusters().get(0).consumerProperties())
                .containsEntry("sasl.mechanism", "AWS_MSK_IAM");
        assertThatThrownBy(() -> parse(cluster("[clusters.consumer_properties]\n\"sasl.mechanism\" = \"PLAIN\"\n"
                + "[clusters.aws_msk_iam]\n")))
                .hasMessageContaining("clusters[0].aws_msk_iam: turns on MSK IAM, but consumer_properties sets "
                        + "\"sasl.mechanism\" otherwise; keep one of them");
        assertThatThrownBy(() -> parse(cluster("[clusters.aws_msk_iam]\nprofile = \"x\"\n")))
                .hasMessageContaining("clusters[0].aws_msk_iam.profile: unknown key");
    }

    /** klag-exporter's default topic_blacklist is "__.*", and its regexes search: "orders__dlq" is skipped too. */
    @Test
    void theDefaultTopicBlacklistIsKlagExportersAndSearchesTheName() {
        ClusterConfig prod = parse(cluster("")).clusters().get(0);
        assertThat(prod.keepsTopic("orders__dlq")).isFalse();
        assertThat(prod.keepsTopic("orders_dlq")).isTrue();
        ClusterConfig anchored = parse(cluster("topic_blacklist = [\"^__.*\"]\n")).clusters().get(0);
        assertThat(anchored.keepsTopic("orders__dlq")).isTrue();
        assertThat(anchored.keepsTopic("__consumer_offsets")).isFalse();
    }

    /** Every librdkafka-only key of a table is reported, each at its own line. */
    @Test
    void everyUntranslatableKeyIsReportedAtItsLine() {
        assertThatThrownBy(() -> parse(cluster("""
                [clusters.consumer_properties]
                "security.protocol" = "SSL"
                "enable.ssl.certificate.verification" = "false"
                "socket.keepalive.enable" = "true"
                "api.version.request" = "true"
                """)))
                .hasMessage(String.join("\n",
                        "config.toml:6: clusters[0].consumer_properties.\"enable.ssl.certificate.verification\": "
                                + UNTRANSLATABLE,
                        "config.toml:7: clusters[0].consumer_properties.\"socket.keepalive.enable\": "
                                + UNTRANSLATABLE,
                        "config.toml:8: clusters[0].consumer_properties.\"api.version.request\": "
                                + UNTRANSLATABLE));
    }

    @Test
    void defaultsMatchKlagExporter() {
        LagsnapConfig c = parse(cluster(""));
        assertThat(c.exporter()).isEqualTo(ExporterConfig.DEFAULTS);
        assertThat(c.exporter().granularity()).isEqualTo(Granularity.TOPIC);
        assertThat(c.run().deadline()).isEqualTo(Duration.ofSeconds(60));
        ClusterConfig prod = c.clusters().get(0);
        assertThat(prod.keepsTopic("orders")).isTrue();
        assertThat(prod.keepsTopic("__consumer_offsets")).isFalse();
        assertThat(prod.keepsTopic("__transaction_state")).isFalse();
        assertThat(c.sinks()).isEmpty();
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void environmentSubstitutionWithDefaultsAndOptionalForm() {
        LagsnapConfig c = parse("""
                [[clusters]]
                name = "prod"
                bootstrap_servers = "${BOOT}"
                [clusters.labels]
                region = "${REGION:-eu-west-1}"
                team = "${?TEAM}x"
                [[sinks]]
                type = "file"
                path = "/tmp/${KAFKA_USER}.ndjson"
                """);
        assertThat(c.clusters().get(0).bootstrapServers()).isEqualTo("kafka:29092");
        assertThat(c.clusters().get(0).labels()).containsEntry("region", "eu-west-1").containsEntry("team", "x");
        assertThat(c.sinks().get(0).options()).containsEntry("path", "/tmp/alice.ndjson");
    }

    @Test
    void variableNamesMayHoldDotsAsKlagExportersMay() {
        LagsnapConfig c = new ConfigLoader(Map.of("kafka.user", "bob")::get)
                .parse(cluster("[clusters.labels]\nowner = \"${kafka.user}\"\n"), "config.toml");
        assertThat(c.clusters().get(0).labels()).containsEntry("owner", "bob");
    }

    /** Only the Lambda handler reads ${aws-secret:…} and ${ssm:…}; elsewhere the text would go out as written. */
    @Test
    void aLambdaSecretReferenceOutsideTheLambdaHandlerIsKeptAndWarnedAbout() {
        LagsnapConfig c = parse(cluster("[clusters.labels]\nteam = \"${aws-secret:prod/team}\"\n"));
        assertThat(c.clusters().get(0).labels()).containsEntry("team", "${aws-secret:prod/team}");
        assertThat(c.warnings()).containsExactly("config.toml: clusters[0].labels.team: ${aws-secret:…} is read only "
                + "by the Lambda handler; anywhere else the value is used as written (put it in an environment "
                + "variable and write ${VAR})");
    }

    @Test
    void sinkTablesKeepTheirTypedOptions() {
        LagsnapConfig c = parse(cluster("""
                [run]
                deadline = "1m30s"
                [[sinks]]
                type = "pushgateway"
                url = "http://pg:9091"
                retries = 3
                [sinks.grouping]
                env = "prod"
                [[sinks]]
                type = "file"
                name = "history"
                path = "out.ndjson"
                """));
        assertThat(c.run().deadline()).isEqualTo(Duration.ofSeconds(90));
        SinkConfig pg = c.sinks().get(0);
        assertThat(pg.type()).isEqualTo("pushgateway");
        assertThat(pg.name()).isEqualTo("pushgateway");
        assertThat(pg.integer("retries", 0, 0)).isEqualTo(3);
        assertThat(pg.stringMap("grouping")).containsExactly(Map.entry("env", "prod"));
        assertThat(c.sinks().get(1).name()).isEqualTo("history");
        pg.requireOnlyKeys(List.of("url", "job", "grouping"));
        assertThat(pg.duration("url", null)).isNull();
        assertThatThrownBy(pg::check).hasMessage(String.join("\n",
                "config.toml:8: sinks[0].url: \"http://pg:9091\" is not a duration "
                        + "(use a number with a unit: 500ms, 30s, 5m, 1h, or 1m30s)",
                "config.toml:9: sinks[0].retries: unknown key \"retries\" (known keys: url, job, grouping)"));
    }

    @Test
    void malformedTomlNamesLineAndColumn() {
        assertThatThrownBy(() -> parse("[[clusters]]\nname = \"prod\nbootstrap_servers = \"x:1\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config.toml:2:")
                .hasMessageContaining("malformed TOML");
    }

    @Test
    void unknownKeyGetsADidYouMeanHint() {
        assertThatThrownBy(() -> parse(cluster("group_whitelistt = [\"a\"]\n")))
                .hasMessage("config.toml:4: clusters[0].group_whitelistt: unknown key \"group_whitelistt\" "
                        + "(did you mean \"group_whitelist\"?)");
        assertThatThrownBy(() -> parse("[exporter]\ngranularty = \"topic\"\n" + cluster("")))
                .hasMessage("config.toml:2: exporter.granularty: unknown key \"granularty\" (did you mean \"granularity\"?)");
    }

    @Test
    void badRegexNamesTheListEntryAndTheProblem() {
        assertThatThrownBy(() -> parse(cluster("topic_blacklist = [\"ok\", \"(unclosed\"]\n")))
                .hasMessage("config.toml:4: clusters[0].topic_blacklist[1]: bad regex \"(unclosed\": "
                        + "Unclosed group near index 9");
    }

    @Test
    void unsetVariableWithoutDefaultIsAnErrorNamingIt() {
        assertThatThrownBy(() -> parse(cluster("[clusters.consumer_properties]\n\"sasl.password\" = \"${NOPE}\"\n")))
                .hasMessage("config.toml:5: clusters[0].consumer_properties.sasl.password: environment variable NOPE "
                        + "is not set (use ${NOPE:-default} for a default)");
    }

    @Test
    void emptyOrMalformedBootstrapList() {
        assertThatThrownBy(() -> parse("[[clusters]]\nname = \"a\"\nbootstrap_servers = \"\"\n"))
                .hasMessage("config.toml:3: clusters[0].bootstrap_servers: empty bootstrap list "
                        + "(expected host:port[,host:port...])");
        assertThatThrownBy(() -> parse("[[clusters]]\nname = \"a\"\nbootstrap_servers = \"kafka1\"\n"))
                .hasMessage("config.toml:3: clusters[0].bootstrap_servers: \"kafka1\" is not host:port");
    }

    @Test
    void zeroNegativeAndUnitlessDurationsAreRejected() {
        assertThatThrownBy(() -> parse(cluster("[run]\ndeadline = \"0s\"\n")))
                .hasMessage("config.toml:5: run.deadline: duration must be positive, got \"0s\"");
        assertThatThrownBy(() -> parse("[exporter.performance]\nkafka_timeout = \"-5s\"\n" + cluster("")))
                .hasMessage("config.toml:2: exporter.performance.kafka_timeout: duration must be positive, got \"-5s\"");
        assertThatThrownBy(() -> parse(cluster("[run]\ndeadline = \"30\"\n")))
                .hasMessage("config.toml:5: run.deadline: \"30\" is not a duration "
                        + "(use a number with a unit: 500ms, 30s, 5m, 1h, or 1m30s)");
    }

    @Test
    void clustersAreRequiredNamedAndUnique() {
        assertThatThrownBy(() -> parse("[exporter]\n"))
                .hasMessage("config.toml: clusters: at least one [[clusters]] entry is required");
        assertThatThrownBy(() -> parse(cluster("") + cluster("")))
                .hasMessage("config.toml:5: clusters[1].name: duplicate cluster name \"prod\"");
        assertThatThrownBy(() -> parse(cluster("[clusters.labels]\ngroup = \"x\"\n")))
                .hasMessageStartingWith("config.toml:5: clusters[0].labels.group: \"group\" is a label lagsnap sets itself (reserved: ");
    }

    @Test
    void granularityMustBeTopicOrPartition() {
        assertThatThrownBy(() -> parse("[exporter]\ngranularity = \"group\"\n" + cluster("")))
                .hasMessage("config.toml:2: exporter.granularity: must be \"topic\" or \"partition\", got \"group\"");
    }

    @Test
    void sinksNeedATypeAndDistinctNames() {
        assertThatThrownBy(() -> parse(cluster("[[sinks]]\npath = \"x\"\n")))
                .hasMessage("config.toml:4: sinks[0].type: required (the sink type, e.g. \"file\" or \"pushgateway\")");
        assertThatThrownBy(() -> parse(cluster("[[sinks]]\ntype = \"file\"\n[[sinks]]\ntype = \"file\"\n")))
                .hasMessage("config.toml:6: sinks[1].name: two sinks are named \"file\": give each sink of the same "
                        + "type a distinct name");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> loader.load(java.nio.file.Path.of("/nonexistent/lagsnap.toml")))
                .hasMessage("/nonexistent/lagsnap.toml: config file not found");
    }

    @Test
    void secretsAreFoundByKeyNameAndScrubbed() {
        LagsnapConfig c = parse(cluster("""
                [clusters.consumer_properties]
                "sasl.jaas.config" = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\\"u\\" password=\\"s3cr3t-pw\\";"
                "ssl.truststore.password" = "trust-pw"
                [[sinks]]
                type = "otlp"
                [sinks.headers]
                Authorization = "Bearer tok-123"
                """));
        Secrets secrets = Secrets.of(c);
        assertThat(secrets.scrub("auth failed for s3cr3t-pw and trust-pw with tok-123"))
                .isEqualTo("auth failed for [redacted] and [redacted] with [redacted]");
        assertThat(Secrets.redacted(c.clusters().get(0).consumerProperties()))
                .containsEntry("sasl.jaas.config", "[redacted]")
                .containsEntry("ssl.truststore.password", "[redacted]");
    }
}
