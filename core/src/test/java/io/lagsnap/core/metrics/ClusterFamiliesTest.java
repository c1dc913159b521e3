package io.lagsnap.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Watermarks;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterFamiliesTest {
    private static final ClusterSnapshot CLUSTER = ClusterSnapshot.builder("prod").labels(Map.of("env", "eu"))
            .granularity(Granularity.PARTITION).time(Instant.parse("2026-12-05T12:00:00Z"))
            .rows(List.of(row(0, 40), row(1, 90))).build();

    private static PartitionLag row(int partition, long committed) {
        return PartitionLag.builder("billing", "orders", partition).groupState(GroupState.STABLE)
                .committedOffset(committed).watermarks(new Watermarks(0, 100, 100)).lag(100 - committed)
                .lagSeconds(5.0).member(new Member("/10.0.0.1", "consumer-1", "client-1"))
                .retentionMargin(committed).lagRetentionRatio((100 - committed) / 100.0).build();
    }

    private static MetricFamily family(List<MetricFamily> families, String name) {
        return families.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** Encoders convert a label set once however many families carry it (PrometheusText's client_java labels). */
    @Test
    void theFamiliesOfARowShareOneLabelSet() {
        List<MetricFamily> families = MetricFamilies.of(CLUSTER);
        List<String> shared = List.of("kafka_consumergroup_group_offset", "kafka_consumergroup_group_lag",
                "kafka_consumergroup_group_messages_lost", "kafka_consumergroup_group_retention_margin",
                "kafka_consumergroup_group_lag_retention_ratio");

        for (int row = 0; row < 2; row++) {
            Labels offset = family(families, shared.get(0)).samples().get(row).labels();
            assertThat(offset.asMap()).containsEntry("partition", Integer.toString(row)).containsEntry("env", "eu")
                    .containsEntry("cluster_name", "prod");
            for (String name : shared) {
                assertThat(family(families, name).samples().get(row).labels()).as(name).isSameAs(offset);
            }
            assertThat(family(families, "kafka_consumergroup_group_lag_seconds").samples().get(row).labels().names())
                    .endsWith("compaction_detected", "data_loss_detected", "env");
        }
        assertThat(family(families, "kafka_consumergroup_group_lag").samples().get(1).value()).isEqualTo(10.0);
        assertThat(family(families, "kafka_consumergroup_group_offset").samples().get(1).value()).isEqualTo(90.0);
    }

    @Test
    void aLabelSetGoesOnlyOnFamiliesWithItsLabelNames() {
        ClusterFamilies f = new ClusterFamilies(CLUSTER);
        var lag = f.gauge("lag", "lag", "group");
        var sum = f.gauge("sum", "sum", "group");
        var byTopic = f.gauge("by_topic", "by topic", "topic");
        Labels group = lag.labels("billing");

        lag.add(1, group);
        sum.add(2, group);

        assertThatThrownBy(() -> byTopic.add(3, group)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("by_topic is labelled [cluster_name, topic, env], not [cluster_name, group, env]");
        assertThat(f.families()).extracting(MetricFamily::name).containsExactly("lag", "sum");
    }
}
