package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static KafkaBroker startedForThisClass;

    @BeforeAll
    static void rememberBroker() {
        startedForThisClass = KAFKA.broker();
    }

    @Test
    void adminReachesTheSingleCombinedNode() throws Exception {
        Admin admin = KAFKA.broker().admin();

        assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        assertThat(KAFKA.broker().brokerIds()).containsExactly(0);
        assertThat(KAFKA.broker().bootstrapServers()).startsWith("localhost:");
    }

    @Test
    void countsEachListOffsetsRequest() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("counted", 2);
        Admin admin = broker.admin();
        Map<TopicPartition, OffsetSpec> bothPartitions = Map.of(
                new TopicPartition("counted", 0), OffsetSpec.latest(),
                new TopicPartition("counted", 1), OffsetSpec.latest());
        long before = broker.requestCount("ListOffsets");

        for (int i = 0; i < 3; i++) {
            admin.listOffsets(bothPartitions).all().get();
        }

        // Both partitions live on the one broker: one request per call.
        assertThat(broker.requestCount("ListOffsets") - before).isEqualTo(3);
    }

    @Test
    void oneOffsetFetchServesManyGroups() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Scenario scenario = broker.scenario().topic("fetched", 1);
        Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
        for (int g = 0; g < 20; g++) {
            scenario.commit("fetch-group-" + g, "fetched", 0, g);
            groups.put("fetch-group-" + g, new ListConsumerGroupOffsetsSpec());
        }
        Map<String, Long> before = broker.requestCounts();

        var offsets = broker.admin().listConsumerGroupOffsets(groups).all().get();

        Map<String, Long> served = broker.requestCountsSince(before);
        assertThat(offsets).hasSize(20);
        assertThat(served).containsEntry("OffsetFetch", 1L);
        // The admin found the coordinator of all 20 groups with one batched lookup.
        assertThat(served).containsEntry("FindCoordinator", 1L);
    }

    @Test
    void countsOneDescribeConfigsAndListGroupsPerCall() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Map<String, Long> before = broker.requestCounts();

        broker.admin().listGroups().all().get();
        broker.admin().listGroups().all().get();
        broker.admin().describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "0"))).all().get();

        assertThat(broker.requestCountsSince(before))
                .containsEntry("ListGroups", 2L)
                .containsEntry("DescribeConfigs", 1L);
    }

    @Nested
    class NestedTests {
        @Test
        void reuseTheEnclosingClassBroker() {
            assertThat(KAFKA.broker()).isSameAs(startedForThisClass);
        }
    }
}
