package io.lagsnap.sink.kip714;

import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.utils.Time;

/**
 * One cluster's series as gauges for {@code Admin.registerMetricForSubscription} (KIP-1076). The telemetry client
 * names a metric {@code org.apache.kafka.<group>.<name>} and sends its tags as OTLP attributes, except
 * {@code client_id}, which it drops because the broker knows the pushing client's id; a member's client id therefore
 * travels as {@code member_client_id}.
 */
final class TelemetrySeries {
    static final String GROUP = "lagsnap";
    /** What every pushed name starts with, and so the prefix a client-metrics subscription requests. */
    static final String NAME_PREFIX = "org.apache.kafka." + GROUP + ".";

    /** The default: one series per group or group-topic, and the cluster's up. */
    private static final Set<String> GROUP_LEVEL = Set.of(
            "kafka_consumergroup_group_max_lag",
            "kafka_consumergroup_group_sum_lag",
            "kafka_consumergroup_group_max_lag_seconds",
            "kafka_consumergroup_group_state",
            "kafka_consumergroup_group_topic_sum_lag",
            "kafka_lag_exporter_up");

    /** lagsnap's own per-cluster metrics (phase times, collection errors, sampling): a handful per cluster. */
    private static final String SELF_METRICS_PREFIX = "lagsnap_";

    private TelemetrySeries() {
    }

    /**
     * The group-level families and lagsnap's per-cluster self-metrics, plus with {@code perPartition} every family
     * with a partition label.
     */
    static List<MetricFamily> select(List<MetricFamily> families, boolean perPartition) {
        return families.stream()
                .filter(f -> GROUP_LEVEL.contains(f.name()) || f.name().startsWith(SELF_METRICS_PREFIX)
                        || perPartition && f.samples().stream().anyMatch(s -> s.labels().names().contains("partition")))
                .toList();
    }

    /** The names as the broker receives them. */
    static List<String> pushedNames(List<MetricFamily> families) {
        return families.stream().map(f -> NAME_PREFIX + f.name()).toList();
    }

    /** One gauge per sample, each reporting its reads to {@code tracker}. */
    static List<KafkaMetric> gauges(List<MetricFamily> families, PushTracker tracker) {
        Object lock = new Object();
        MetricConfig config = new MetricConfig();
        List<KafkaMetric> out = new ArrayList<>();
        for (MetricFamily family : families) {
            for (MetricFamily.Sample sample : family.samples()) {
                MetricName name = new MetricName(family.name(), GROUP, family.help(), tags(sample.labels()));
                out.add(new KafkaMetric(lock, name, tracker.gauge(sample.value()), config, Time.SYSTEM));
            }
        }
        return out;
    }

    private static Map<String, String> tags(Labels labels) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            tags.put(name.equals("client_id") ? "member_client_id" : name, labels.value(i));
        }
        return tags;
    }
}
