package io.lagsnap.core.metrics;

import io.lagsnap.core.config.Granularity;
import io.lagsnap.core.model.ClusterSnapshot;
import io.lagsnap.core.model.GroupLag;
import io.lagsnap.core.model.GroupTopicLag;
import io.lagsnap.core.model.PartitionLag;
import io.lagsnap.core.model.PartitionOffsets;
import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.selfmetrics.ClusterMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the metric families from a snapshot, once, with klag-exporter's names and labels so its dashboards and
 * alerts work unchanged. Each cluster's custom labels go on every series of that cluster.
 */
public final class MetricFamilies {
    private MetricFamilies() {
    }

    /** Every cluster's families, merged by name (Prometheus wants one family per name). */
    public static List<MetricFamily> of(Snapshot snapshot) {
        Map<String, List<MetricFamily.Sample>> samples = new LinkedHashMap<>();
        Map<String, MetricFamily> first = new LinkedHashMap<>();
        for (ClusterSnapshot cluster : snapshot.clusters()) {
            for (MetricFamily f : of(cluster)) {
                first.putIfAbsent(f.name(), f);
                samples.computeIfAbsent(f.name(), n -> new ArrayList<>()).addAll(f.samples());
            }
        }
        List<MetricFamily> out = new ArrayList<>();
        first.forEach((name, f) -> out.add(new MetricFamily(name, f.type(), f.help(), samples.get(name))));
        return out;
    }

    /** One cluster's families: what a per-cluster push (Pushgateway grouping key, KIP-714 client) carries. */
    public static List<MetricFamily> of(ClusterSnapshot c) {
        Shapes s = new Shapes(c);
        List<MetricFamily> out = new ArrayList<>();

        Family latest = s.family("kafka_partition_latest_offset", "Latest (high watermark) offset for a partition",
                "topic", "partition");
        Family earliest = s.family("kafka_partition_earliest_offset",
                "Earliest (low watermark) offset for a partition", "topic", "partition");
        for (PartitionOffsets p : c.partitions()) {
            String partition = Integer.toString(p.partition());
            latest.add(p.latest(), p.topic(), partition);
            earliest.add(p.earliest(), p.topic(), partition);
        }
        out.add(latest.build());
        out.add(earliest.build());

        if (c.granularity() == Granularity.PARTITION) {
            Family offset = s.family("kafka_consumergroup_group_offset",
                    "Last committed offset for a consumer group partition",
                    "group", "topic", "partition", "member_host", "consumer_id", "client_id");
            Family lag = s.family("kafka_consumergroup_group_lag",
                    "Offset lag (high_watermark - committed) for a consumer group partition",
                    "group", "topic", "partition", "member_host", "consumer_id", "client_id",
                    "compaction_detected", "data_loss_detected");
            Family lagSeconds = s.family("kafka_consumergroup_group_lag_seconds",
                    "Time lag in seconds for a consumer group partition",
                    "group", "topic", "partition", "member_host", "consumer_id", "client_id",
                    "compaction_detected", "data_loss_detected");
            Family lost = s.family("kafka_consumergroup_group_messages_lost",
                    "Messages deleted by retention before the group consumed them", "group", "topic", "partition");
            Family margin = s.family("kafka_consumergroup_group_retention_margin",
                    "Committed offset minus the low watermark; negative under data loss",
                    "group", "topic", "partition");
            Family ratio = s.family("kafka_consumergroup_group_lag_retention_ratio",
                    "Lag as a percentage of the retained log (high - low)", "group", "topic", "partition");
            for (PartitionLag r : c.rows()) {
                String partition = Integer.toString(r.partition());
                String host = r.member().host();
                String consumerId = r.member().consumerId();
                String clientId = r.member().clientId();
                String compaction = Boolean.toString(r.compactionDetected());
                String dataLoss = Boolean.toString(r.dataLossDetected());
                offset.add(r.committedOffset(), r.group(), r.topic(), partition, host, consumerId, clientId);
                lag.add(r.lag(), r.group(), r.topic(), partition, host, consumerId, clientId, compaction, dataLoss);
                if (r.lagSeconds() != null) {
                    lagSeconds.add(r.lagSeconds(), r.group(), r.topic(), partition, host, consumerId, clientId,
                            compaction, dataLoss);
                }
                lost.add(r.messagesLost(), r.group(), r.topic(), partition);
                margin.add(r.retentionMargin(), r.group(), r.topic(), partition);
                ratio.add(r.lagRetentionRatio(), r.group(), r.topic(), partition);
            }
            out.add(offset.build());
            out.add(lag.build());
            out.add(lagSeconds.build());
            out.add(lost.build());
            out.add(margin.build());
            out.add(ratio.build());
        }

        Family maxLag = s.family("kafka_consumergroup_group_max_lag",
                "Maximum offset lag across all partitions for a consumer group", "group");
        Family sumLag = s.family("kafka_consumergroup_group_sum_lag",
                "Sum of offset lag across all partitions for a consumer group", "group");
        Family maxLagSeconds = s.family("kafka_consumergroup_group_max_lag_seconds",
                "Maximum time lag in seconds across all partitions for a consumer group", "group");
        Family state = s.family("kafka_consumergroup_group_state",
                "Consumer group state: 0 Unknown, 1 PreparingRebalance, 2 CompletingRebalance, 3 Stable, 4 Dead, "
                        + "5 Empty, 6 Assigning, 7 Reconciling", "group");
        for (GroupLag g : c.groups()) {
            maxLag.add(g.maxLag(), g.group());
            sumLag.add(g.sumLag(), g.group());
            if (g.maxLagSeconds() != null) {
                maxLagSeconds.add(g.maxLagSeconds(), g.group());
            }
            state.add(g.state().code(), g.group());
        }
        out.add(maxLag.build());
        out.add(sumLag.build());
        out.add(maxLagSeconds.build());
        out.add(state.build());

        Family topicSum = s.family("kafka_consumergroup_group_topic_sum_lag",
                "Sum of offset lag per topic for a consumer group", "group", "topic");
        for (GroupTopicLag t : c.groupTopics()) {
            topicSum.add(t.sumLag(), t.group(), t.topic());
        }
        out.add(topicSum.build());

        double seconds = c.duration().toNanos() / 1e9;
        out.add(s.single("kafka_consumergroup_poll_time_ms", "Time taken to poll all offsets in milliseconds",
                c.duration().toMillis()));
        out.add(s.single("kafka_lag_exporter_compaction_detected_total",
                "Partitions of compacted topics among the monitored group partitions", c.compactionDetectedCount()));
        out.add(s.single("kafka_lag_exporter_data_loss_partitions_total",
                "Group partitions whose committed offset is below the low watermark", c.dataLossPartitionCount()));
        if (c.up()) {
            out.add(s.single("kafka_lag_exporter_last_update_timestamp_seconds",
                    "Unix timestamp of last successful metrics collection", c.time().toEpochMilli() / 1000.0));
        }
        out.add(s.single("kafka_lag_exporter_scrape_duration_seconds", "Duration of metrics collection in seconds",
                seconds));
        out.add(s.single("kafka_lag_exporter_up", "1 if the cluster was collected, 0 otherwise", c.up() ? 1 : 0));
        // lagsnap's own metrics of this cluster's collection travel with its lag metrics, through every sink
        out.addAll(ClusterMetrics.of(c));
        out.removeIf(f -> f.samples().isEmpty());
        return out;
    }

    /** Builds label-name arrays once per family: cluster_name, the family's own labels, the custom labels. */
    private static final class Shapes {
        private final String cluster;
        private final String[] customNames;
        private final String[] customValues;

        Shapes(ClusterSnapshot c) {
            this.cluster = c.name();
            this.customNames = c.labels().keySet().toArray(String[]::new);
            this.customValues = c.labels().values().toArray(String[]::new);
        }

        Family family(String name, String help, String... own) {
            String[] names = new String[1 + own.length + customNames.length];
            names[0] = "cluster_name";
            System.arraycopy(own, 0, names, 1, own.length);
            System.arraycopy(customNames, 0, names, 1 + own.length, customNames.length);
            return new Family(name, help, names, this);
        }

        MetricFamily single(String name, String help, double value) {
            Family f = family(name, help);
            f.add(value);
            return f.build();
        }
    }

    private static final class Family {
        private final String name;
        private final String help;
        private final String[] names;
        private final Shapes shapes;
        private final List<MetricFamily.Sample> samples = new ArrayList<>();

        Family(String name, String help, String[] names, Shapes shapes) {
            this.name = name;
            this.help = help;
            this.names = names;
            this.shapes = shapes;
        }

        void add(double value, String... own) {
            String[] values = new String[names.length];
            values[0] = shapes.cluster;
            System.arraycopy(own, 0, values, 1, own.length);
            System.arraycopy(shapes.customValues, 0, values, 1 + own.length, shapes.customValues.length);
            samples.add(new MetricFamily.Sample(new Labels(names, values), value));
        }

        MetricFamily build() {
            return new MetricFamily(name, MetricFamily.Type.GAUGE, help, samples);
        }
    }
}
