package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterFaultTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.cluster(3, Map.of());

    @Test
    void countsRequestsOfAllBrokersAndRestartsOneBroker() throws Exception {
        KafkaBroker cluster = KAFKA.broker();
        Admin admin = cluster.admin();
        Scenario scenario = cluster.scenario().topic("replicated", 3);
        String bootstrap = cluster.bootstrapServers();
        assertThat(cluster.brokerIds()).containsExactly(0, 1, 2);
        TopicDescription topic = admin.describeTopics(List.of("replicated")).allTopicNames().get().get("replicated");
        assertThat(topic.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));

        Map<String, Long> before = cluster.requestCounts();
        admin.listGroups().all().get();
        // The admin asks every broker for its groups; the count sums all three.
        assertThat(cluster.requestCountsSince(before)).containsEntry("ListGroups", 3L);

        cluster.shutdownBroker(2);
        Await.until("two live brokers", () -> admin.describeCluster().nodes().get().size() == 2);
        scenario.produce("replicated", 0, 5, i -> 1_000L);
        assertThat(scenario.highWatermark("replicated", 0)).isEqualTo(5);
        assertThatThrownBy(() -> cluster.requestCount("ListGroups")).isInstanceOf(IllegalStateException.class);

        cluster.startBroker(2);
        Await.until("three live brokers", () -> admin.describeCluster().nodes().get().size() == 3);
        assertThat(cluster.bootstrapServers()).isEqualTo(bootstrap);
        scenario.produce("replicated", 0, 5, i -> 2_000L);
        assertThat(scenario.highWatermark("replicated", 0)).isEqualTo(10);
    }
}
