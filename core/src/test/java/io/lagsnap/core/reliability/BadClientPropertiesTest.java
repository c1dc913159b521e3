package io.lagsnap.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * consumer_properties the Kafka client cannot be built from: the cluster is reported down at once with Kafka's
 * own reason (not just "Failed to create new KafkaAdminClient"), and the password in the broken JAAS line is
 * still masked. No broker is needed: the client fails before it connects.
 */
class BadClientPropertiesTest {
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SASL_SSL | sasl.jaas.config | org.apache.kafka.common.security.scram.ScramLoginModule required username='u' password='hunter2-x' | cannot create the Kafka client: KafkaException: Failed to create new KafkaAdminClient (caused by IllegalArgumentException: JAAS config entry not terminated by semi-colon)
            SASL_SSL | sasl.jaas.config | org.example.NoSuchLoginModule required username='u' password='hunter2-x'; | cannot create the Kafka client: KafkaException: Failed to create new KafkaAdminClient (caused by LoginException: No LoginModule found for org.example.NoSuchLoginModule)
            SSL      | ssl.truststore.location | /nonexistent/truststore.p12 | cannot create the Kafka client: KafkaException: Failed to create new KafkaAdminClient (caused by NoSuchFileException: /nonexistent/truststore.p12)
            """)
    void aClientThatCannotBeBuiltIsReportedDownWithKafkasReason(String protocol, String key, String value,
                                                                 String error) {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [[clusters]]
                name = "broken"
                bootstrap_servers = "127.0.0.1:1"
                [clusters.consumer_properties]
                "security.protocol" = "%s"
                "sasl.mechanism" = "SCRAM-SHA-512"
                "ssl.truststore.password" = "hunter2-x"
                "%s" = "%s"
                """.formatted(protocol, key, value.replace("'", "\\\"")), "broken.toml");

        RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(10)), Shard.ALL);

        assertThat(report.clusters()).singleElement().satisfies(c -> {
            assertThat(c.up()).isFalse();
            assertThat(c.error()).isEqualTo(error);
            // it failed before the first phase, without waiting for a broker
            assertThat(c.phases()).isEmpty();
        });
        assertThat(report.toJson()).doesNotContain("hunter2");
    }
}
