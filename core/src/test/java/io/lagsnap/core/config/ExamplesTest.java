package io.lagsnap.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Granularity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shipped {@code examples/*.toml} loads with the real loader into exactly the clusters and sinks it promises.
 * A new example without an entry here fails the test, so nothing ships unloaded.
 */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    /** The variables the examples reference without a default; KAFKA_BOOTSTRAP is left unset to test its default. */
    /** The CA file must exist: the loader checks it when it translates ssl.ca.location. */
    private static final String CA_FILE = "../examples/README.md";
    private static final Map<String, String> ENV = Map.of(
            "KAFKA_CA_FILE", CA_FILE,
            "KAFKA_USER", "lagsnap",
            "KAFKA_PASSWORD", "example-password",
            "OTLP_API_KEY", "example-key");

    /** What one example must load into: its clusters' names and bootstrap lists, the security settings, the sinks. */
    private record Expected(List<String> clusters, List<String> bootstrap, Map<String, String> properties,
            List<String> sinkTypes, List<String> sinkNames) {
    }

    private static final Map<String, String> PLAINTEXT = Map.of();

    private static final Map<String, Expected> EXPECTED = Map.ofEntries(
            Map.entry("local-plaintext.toml", local(List.of("stdout"), List.of("stdout"))),
            Map.entry("sasl-scram-tls.toml", new Expected(List.of("production"),
                    List.of("kafka1.example.com:9093,kafka2.example.com:9093"),
                    // the librdkafka names the example is written in, translated into the Java client's
                    Map.of("security.protocol", "SASL_SSL",
                            "sasl.mechanism", "SCRAM-SHA-512",
                            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                                    + "username=\"lagsnap\" password=\"example-password\";",
                            "ssl.truststore.type", "PEM",
                            "ssl.truststore.location", CA_FILE),
                    List.of("stdout"), List.of("stdout"))),
            Map.entry("msk-iam.toml", new Expected(List.of("msk"),
                    List.of("b-1.mycluster.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,"
                            + "b-2.mycluster.abc123.c2.kafka.eu-west-1.amazonaws.com:9098"),
                    Map.of("security.protocol", "SASL_SSL",
                            "sasl.mechanism", "AWS_MSK_IAM",
                            "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
                            "sasl.client.callback.handler.class",
                            "software.amazon.msk.auth.iam.IAMClientCallbackHandler"),
                    List.of("stdout"), List.of("stdout"))),
            Map.entry("google-managed-kafka.toml", new Expected(List.of("managed"),
                    List.of("bootstrap.my-cluster.europe-west1.managedkafka.my-project.cloud.goog:9092"),
                    Map.of("security.protocol", "SASL_SSL",
                            "sasl.mechanism", "OAUTHBEARER",
                            "sasl.login.callback.handler.class",
                            "com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler",
                            "sasl.jaas.config",
                            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"),
                    List.of("stdout"), List.of("stdout"))),
            Map.entry("pushgateway.toml", local(List.of("pushgateway"), List.of("pushgateway"))),
            Map.entry("otlp.toml", local(List.of("otlp"), List.of("otlp"))),
            Map.entry("object-store-s3.toml", local(List.of("object_store"), List.of("object_store"))),
            Map.entry("object-store-gcs.toml", local(List.of("object_store"), List.of("object_store"))),
            Map.entry("kip714.toml", new Expected(List.of("production"), List.of("localhost:9092"), PLAINTEXT,
                    List.of("kip714"), List.of("kip714"))),
            Map.entry("file.toml", local(List.of("file", "file", "file"),
                    List.of("rows", "textfile", "status-page"))));

    private static Expected local(List<String> sinkTypes, List<String> sinkNames) {
        return new Expected(List.of("local"), List.of("localhost:9092"), PLAINTEXT, sinkTypes, sinkNames);
    }

    @Test
    void everyExampleHasAnExpectation() throws IOException {
        assertThat(exampleFiles()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @Test
    void everyExampleLoadsIntoItsClustersAndSinks() throws IOException {
        ConfigLoader loader = new ConfigLoader(ENV::get);
        for (String file : exampleFiles()) {
            Expected expected = EXPECTED.get(file);
            LagsnapConfig config = loader.load(EXAMPLES.resolve(file));

            assertThat(config.clusters()).as(file).extracting(ClusterConfig::name)
                    .containsExactlyElementsOf(expected.clusters());
            assertThat(config.clusters()).as(file).extracting(ClusterConfig::bootstrapServers)
                    .containsExactlyElementsOf(expected.bootstrap());
            assertThat(config.clusters().get(0).consumerProperties()).as(file)
                    .containsExactlyInAnyOrderEntriesOf(expected.properties());
            assertThat(config.sinks()).as(file).extracting(SinkConfig::type)
                    .containsExactlyElementsOf(expected.sinkTypes());
            assertThat(config.sinks()).as(file).extracting(SinkConfig::name)
                    .containsExactlyElementsOf(expected.sinkNames());
            assertThat(config.warnings()).as(file).isEmpty();
        }
    }

    @Test
    void theFileExampleWritesPartitionSeries() {
        LagsnapConfig config = new ConfigLoader(ENV::get).load(EXAMPLES.resolve("file.toml"));

        assertThat(config.exporter().granularity()).isEqualTo(Granularity.PARTITION);
        assertThat(config.sinks()).extracting(s -> s.string("format", null))
                .containsExactly("json", "prometheus", "html");
    }

    private static List<String> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".toml")).sorted().toList();
            assertThat(names).as("examples in " + EXAMPLES.toAbsolutePath()).isNotEmpty();
            return names;
        }
    }
}
