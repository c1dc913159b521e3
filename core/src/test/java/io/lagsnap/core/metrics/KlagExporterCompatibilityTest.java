package io.lagsnap.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.kafka.KafkaCollector;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every family klag-exporter documents carries exactly klag-exporter's label set, so its dashboards and alerts work
 * unchanged. The reference is klag-exporter's own "Metrics Reference" table (README), copied below; the one
 * documented difference is {@code kafka_lag_exporter_up}, which klag-exporter exports without labels (one exporter,
 * one value) and lagsnap per cluster, because one run covers several clusters.
 */
class KlagExporterCompatibilityTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final List<String> PARTITION = List.of("cluster_name", "topic", "partition");
    private static final List<String> MEMBER = List.of("cluster_name", "group", "topic", "partition", "member_host",
            "consumer_id", "client_id");
    private static final List<String> GROUP = List.of("cluster_name", "group");
    private static final List<String> CLUSTER = List.of("cluster_name");

    /** klag-exporter's table: metric name and its labels. */
    private static final Map<String, List<String>> KLAG = new LinkedHashMap<>();

    static {
        KLAG.put("kafka_partition_latest_offset", PARTITION);
        KLAG.put("kafka_partition_earliest_offset", PARTITION);
        KLAG.put("kafka_consumergroup_group_offset", MEMBER);
        KLAG.put("kafka_consumergroup_group_lag", MEMBER);
        KLAG.put("kafka_consumergroup_group_lag_seconds", concat(MEMBER, "compaction_detected",
                "data_loss_detected"));
        KLAG.put("kafka_consumergroup_group_messages_lost", MEMBER);
        KLAG.put("kafka_consumergroup_group_retention_margin", MEMBER);
        KLAG.put("kafka_consumergroup_group_lag_retention_ratio", MEMBER);
        KLAG.put("kafka_consumergroup_group_max_lag", GROUP);
        KLAG.put("kafka_consumergroup_group_sum_lag", GROUP);
        KLAG.put("kafka_consumergroup_group_max_lag_seconds", GROUP);
        KLAG.put("kafka_consumergroup_group_state", GROUP);
        KLAG.put("kafka_consumergroup_group_topic_sum_lag", List.of("cluster_name", "group", "topic"));
        KLAG.put("kafka_consumergroup_poll_time_ms", CLUSTER);
        KLAG.put("kafka_lag_exporter_compaction_detected_total", CLUSTER);
        KLAG.put("kafka_lag_exporter_data_loss_partitions_total", CLUSTER);
        KLAG.put("kafka_lag_exporter_last_update_timestamp_seconds", CLUSTER);
        KLAG.put("kafka_lag_exporter_scrape_duration_seconds", CLUSTER);
        KLAG.put("kafka_lag_exporter_up", List.of());
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    @Test
    void everyKlagFamilyHasKlagsLabelSetAtPartitionGranularity() {
        KAFKA.broker().scenario().topic("klag-t", 2).produce("klag-t", 0, 10, i -> 1_700_000_000_000L + i)
                .produce("klag-t", 1, 5, i -> 1_700_000_000_000L + i).commit("klag-g", "klag-t", 0, 4L);
        LagsnapConfig config = new ConfigLoader(k -> null).parse("""
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^klag-"]
                topic_whitelist = ["^klag-"]
                [clusters.labels]
                env = "test"
                """.formatted(KAFKA.broker().bootstrapServers()), "klag.toml");
        ClusterSnapshot cluster = new KafkaCollector(config.clusters().get(0), config.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));

        Map<String, Set<String>> emitted = new LinkedHashMap<>();
        for (MetricFamily f : MetricFamilies.of(cluster)) {
            Set<String> names = new TreeSet<>();
            f.samples().forEach(s -> names.addAll(s.labels().names()));
            emitted.put(f.name(), names);
        }
        assertThat(emitted).containsKeys(KLAG.keySet().toArray(String[]::new));
        KLAG.forEach((name, labels) -> {
            Set<String> expected = new TreeSet<>(labels);
            expected.add("env"); // the cluster's custom labels go on every series, as in klag-exporter
            if (name.equals("kafka_lag_exporter_up")) {
                expected.add("cluster_name"); // the documented difference
            }
            assertThat(emitted.get(name)).as(name).isEqualTo(expected);
        });
    }
}
