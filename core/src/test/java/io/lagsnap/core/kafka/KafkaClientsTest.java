package io.lagsnap.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ClusterConfig;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The client properties every Kafka client of a cycle starts from. */
class KafkaClientsTest {
    private static ClusterConfig cluster(String consumerProperties) {
        return ClusterTestConfigs.config("localhost:9092", ".*", consumerProperties).clusters().get(0);
    }

    @Test
    void neitherJmxNorTheClientsOwnTelemetryPushUnlessTheUserAsks() {
        Properties p = KafkaClients.base(cluster(""), "lagsnap-admin");

        assertThat(p.getProperty("metric.reporters")).isEmpty();
        assertThat(p.getProperty("enable.metrics.push")).isEqualTo("false");
        assertThat(p.getProperty("client.id")).isEqualTo("lagsnap-admin");
    }

    @Test
    void theUsersConsumerPropertiesWin() {
        Properties p = KafkaClients.base(cluster("""
                [clusters.consumer_properties]
                "enable.metrics.push" = "true"
                "metric.reporters" = "org.apache.kafka.common.metrics.JmxReporter"
                """), "lagsnap-admin");

        assertThat(p.getProperty("enable.metrics.push")).isEqualTo("true");
        assertThat(p.getProperty("metric.reporters")).isEqualTo("org.apache.kafka.common.metrics.JmxReporter");
    }
}
