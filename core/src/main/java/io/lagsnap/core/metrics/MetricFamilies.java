package io.lagsnap.core.metrics;

import io.lagsnap.core.trends.SeriesKey;
import io.lagsnap.core.trends.Trend;
import io.lagsnap.core.trends.TrendKeeper;
import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupTopicLag;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.LagPoint;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.PartitionOffsets;
import io.lagsnap.sink.api.model.SamplingStats;
import io.lagsnap.sink.api.model.SeriesTrend;
import io.lagsnap.sink.api.model.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the metric families of a snapshot, once per cluster, with klag-exporter's names and labels so its
 * dashboards and alerts work unchanged, followed by lagsnap's own per-cluster collection metrics. Each cluster's
 * custom labels go on every series of that cluster.
 */
public final class MetricFamilies {
    public static final String GROUP_TOPIC_MAX_RETENTION_RATIO =
            "kafka_consumergroup_group_topic_max_lag_retention_ratio";
    public static final String GROUP_TOPIC_MESSAGES_LOST = "kafka_consumergroup_group_topic_messages_lost";
    public static final String GROUP_INFO = "lagsnap_group_info";
    public static final String PHASE_DURATION = "lagsnap_phase_duration_seconds";
    public static final String ERRORS = "lagsnap_collection_errors_total";
    public static final String ADMIN_REQUESTS = "lagsnap_admin_requests_total";
    public static final String SAMPLING_REQUESTED = "lagsnap_sampling_requested_total";
    public static final String SAMPLING_SAMPLED = "lagsnap_sampling_sampled_total";
    public static final String SAMPLING_MISSED = "lagsnap_sampling_missed_total";
    public static final String SAMPLING_CLOCK_SKEWED = "lagsnap_sampling_clock_skewed_total";
    public static final String SAMPLING_FETCH_REQUESTS = "lagsnap_sampling_fetch_requests_total";
    public static final String SAMPLING_FETCHED_BYTES = "lagsnap_sampling_fetched_bytes_total";

    private MetricFamilies() {
    }

    /** The snapshot with every cluster's families derived: what the runner hands to the sinks. */
    public static Snapshot derive(Snapshot snapshot) {
        return derive(snapshot, Map.of());
    }

    /**
     * As {@link #derive(Snapshot)}, with the trends of the clusters that keep a trend state, by cluster name: their
     * families, and the same trends as {@link ClusterSnapshot#trends} for the sinks that show more than metrics.
     */
    public static Snapshot derive(Snapshot snapshot, Map<String, TrendKeeper.Kept> trends) {
        return new Snapshot(snapshot.runId(), snapshot.startedAt(), snapshot.shard(), snapshot.clusters().stream()
                .map(c -> {
                    TrendKeeper.Kept kept = trends.get(c.name());
                    return c.toBuilder().families(of(c, kept)).trends(kept == null ? List.of() : views(kept)).build();
                }).toList());
    }

    /** Groups first, then topics or partitions, each in key order. */
    private static List<SeriesTrend> views(TrendKeeper.Kept kept) {
        List<SeriesTrend> views = new ArrayList<>();
        for (Trend t : kept.results().groups()) {
            views.add(view(t));
        }
        for (Trend t : kept.results().details()) {
            views.add(view(t));
        }
        return views;
    }

    private static SeriesTrend view(Trend t) {
        SeriesKey key = t.key();
        return SeriesTrend.builder(key.group())
                .topic(key.isGroup() ? null : key.topic())
                .partition(key.partition() == SeriesKey.ALL_PARTITIONS ? null : key.partition())
                .status(t.status().name(), t.status().code())
                .rates(t.consumeRate(), t.produceRate(), t.etaSeconds())
                .points(t.points().stream().map(p -> new LagPoint(p.time(), p.lag(), p.lagSeconds())).toList())
                .build();
    }

    /** One cluster's families: what a per-cluster push (Pushgateway grouping key, KIP-714 client) carries. */
    public static List<MetricFamily> of(ClusterSnapshot c) {
        return of(c, null);
    }

    private static List<MetricFamily> of(ClusterSnapshot c, TrendKeeper.Kept trends) {
        ClusterFamilies f = new ClusterFamilies(c);
        watermarks(c, f);
        if (c.granularity() == Granularity.PARTITION) {
            partitions(c, f);
        }
        groups(c, f);
        groupTopics(c, f);
        if (trends != null) {
            TrendFamilies.add(trends, f);
        }
        groupInfo(c, f);
        cluster(c, f);
        collection(c, f);
        return f.families();
    }

    private static void watermarks(ClusterSnapshot c, ClusterFamilies f) {
        var latest = f.gauge("kafka_partition_latest_offset", "Latest (high watermark) offset for a partition",
                "topic", "partition");
        var earliest = f.gauge("kafka_partition_earliest_offset", "Earliest (low watermark) offset for a partition",
                "topic", "partition");
        for (PartitionOffsets p : c.partitions()) {
            Labels labels = latest.labels(p.topic(), Integer.toString(p.partition()));
            latest.add(p.latest(), labels);
            earliest.add(p.earliest(), labels);
        }
    }

    /**
     * The per-partition consumer series, which klag-exporter emits at partition granularity only, with its label
     * sets: seven labels on each, and the two detection flags on {@code _lag_seconds} alone.
     */
    private static void partitions(ClusterSnapshot c, ClusterFamilies f) {
        String[] member = {"group", "topic", "partition", "member_host", "consumer_id", "client_id"};
        var offset = f.gauge("kafka_consumergroup_group_offset",
                "Last committed offset for a consumer group partition", member);
        var lag = f.gauge("kafka_consumergroup_group_lag",
                "Offset lag (high_watermark - committed) for a consumer group partition", member);
        var lagSeconds = f.gauge("kafka_consumergroup_group_lag_seconds",
                "Time lag in seconds for a consumer group partition",
                "group", "topic", "partition", "member_host", "consumer_id", "client_id",
                "compaction_detected", "data_loss_detected");
        var lost = f.gauge("kafka_consumergroup_group_messages_lost",
                "Messages deleted by retention before the group consumed them", member);
        var margin = f.gauge("kafka_consumergroup_group_retention_margin",
                "Committed offset minus the low watermark; negative under data loss", member);
        var ratio = f.gauge("kafka_consumergroup_group_lag_retention_ratio",
                "Lag as a percentage of the retained log (high - low)", member);
        for (PartitionLag r : c.rows()) {
            if (!r.hasPosition()) {
                // a group that never committed here: no offset, and no lag that would pretend 0
                continue;
            }
            String partition = Integer.toString(r.partition());
            String host = r.member().host();
            String consumerId = r.member().consumerId();
            String clientId = r.member().clientId();
            String compaction = Boolean.toString(r.compactionDetected());
            String dataLoss = Boolean.toString(r.dataLossDetected());
            Labels labels = offset.labels(r.group(), r.topic(), partition, host, consumerId, clientId);
            offset.add(r.committedOffset(), labels);
            lag.add(r.reportedLag(), labels);
            if (r.lagSeconds() != null) {
                lagSeconds.add(r.lagSeconds(), r.group(), r.topic(), partition, host, consumerId, clientId,
                        compaction, dataLoss);
            }
            lost.add(r.messagesLost(), labels);
            margin.add(r.retentionMargin(), labels);
            ratio.add(r.lagRetentionRatio(), labels);
        }
    }

    private static void groups(ClusterSnapshot c, ClusterFamilies f) {
        var maxLag = f.gauge("kafka_consumergroup_group_max_lag",
                "Maximum offset lag across all partitions for a consumer group", "group");
        var sumLag = f.gauge("kafka_consumergroup_group_sum_lag",
                "Sum of offset lag across all partitions for a consumer group", "group");
        var maxLagSeconds = f.gauge("kafka_consumergroup_group_max_lag_seconds",
                "Maximum time lag in seconds across all partitions for a consumer group", "group");
        var state = f.gauge("kafka_consumergroup_group_state",
                "Consumer group state: 0 Unknown, 1 PreparingRebalance, 2 CompletingRebalance, 3 Stable, 4 Dead, "
                        + "5 Empty, 6 Assigning, 7 Reconciling", "group");
        for (GroupLag g : c.groups()) {
            Labels labels = state.labels(g.group());
            if (g.maxLag() != null) {
                maxLag.add(g.maxLag(), labels);
                sumLag.add(g.sumLag(), labels);
            }
            if (g.maxLagSeconds() != null) {
                maxLagSeconds.add(g.maxLagSeconds(), labels);
            }
            state.add(g.state().code(), labels);
        }
    }

    /** lagsnap's own: one series per group, so a dashboard can filter or join the klag families by group type. */
    private static void groupInfo(ClusterSnapshot c, ClusterFamilies f) {
        var info = f.gauge(GROUP_INFO, "Group type (consumer, classic, share, streams) and state, always 1",
                "group", "group_type", "state");
        for (GroupLag g : c.groups()) {
            info.add(1, g.group(), g.type().label(), g.state().displayName());
        }
    }

    /**
     * The group-topic sum of the lag, and lagsnap's group-topic view of the retention math, emitted at every
     * granularity: klag-exporter has these values per partition only, so at its default granularity ("topic") no
     * data-loss or near-retention alert could fire.
     */
    private static void groupTopics(ClusterSnapshot c, ClusterFamilies f) {
        var topicSum = f.gauge("kafka_consumergroup_group_topic_sum_lag",
                "Sum of offset lag per topic for a consumer group", "group", "topic");
        var ratio = f.gauge(GROUP_TOPIC_MAX_RETENTION_RATIO,
                "Highest lag_retention_ratio of the group's partitions of the topic: over 100 means data loss",
                "group", "topic");
        var lost = f.gauge(GROUP_TOPIC_MESSAGES_LOST,
                "Messages of the topic deleted by retention before the group consumed them, over its partitions",
                "group", "topic");
        for (GroupTopicLag t : c.groupTopics()) {
            Labels labels = topicSum.labels(t.group(), t.topic());
            topicSum.add(t.sumLag(), labels);
            ratio.add(t.maxLagRetentionRatio(), labels);
            lost.add(t.messagesLost(), labels);
        }
    }

    /** klag-exporter's per-cluster series; its {@code _total} names are gauges there, and stay gauges here. */
    private static void cluster(ClusterSnapshot c, ClusterFamilies f) {
        f.single("kafka_consumergroup_poll_time_ms", "Time taken to poll all offsets in milliseconds",
                c.duration().toMillis());
        f.single("kafka_lag_exporter_compaction_detected_total",
                "Partitions of compacted topics among the monitored group partitions", c.compactionDetectedCount());
        f.single("kafka_lag_exporter_data_loss_partitions_total",
                "Group partitions whose committed offset is below the low watermark", c.dataLossPartitionCount());
        if (c.up()) {
            f.single("kafka_lag_exporter_last_update_timestamp_seconds",
                    "Unix timestamp of last successful metrics collection", c.time().toEpochMilli() / 1000.0);
        }
        f.single("kafka_lag_exporter_scrape_duration_seconds", "Duration of metrics collection in seconds",
                seconds(c.duration()));
        f.single("kafka_lag_exporter_up", "1 if the cluster was collected, 0 otherwise", c.up() ? 1 : 0);
    }

    /** lagsnap's own metrics of this cluster's collection, which travel with its lag metrics through every sink. */
    private static void collection(ClusterSnapshot c, ClusterFamilies f) {
        if (!c.phaseDurations().isEmpty()) {
            var phases = f.gauge(PHASE_DURATION,
                    "Time one collection phase took (list, describe, offsets, watermarks, configs, sampling)", "phase");
            c.phaseDurations().forEach((phase, took) -> phases.add(seconds(took), phase.label()));
        }
        Map<List<String>, Integer> errors = new LinkedHashMap<>();
        for (ItemError e : c.errors()) {
            errors.merge(List.of(e.phase().label(), e.kind().label()), 1, Integer::sum);
        }
        if (!errors.isEmpty()) {
            var counted = f.counter(ERRORS,
                    "Groups, topics or partitions that failed in this run's collection, by phase and kind",
                    "phase", "kind");
            errors.forEach((key, n) -> counted.add(n, key.get(0), key.get(1)));
        }
        if (c.up()) {
            f.counter(ADMIN_REQUESTS, "Requests the Admin client sent for this run's collection (list, describe, "
                    + "offsets, watermarks, configs and their metadata)").add(c.adminRequests());
            SamplingStats s = c.sampling();
            f.counter(SAMPLING_REQUESTED, "Committed positions that needed a record timestamp in this run")
                    .add(s.requested());
            f.counter(SAMPLING_SAMPLED, "Record timestamps read (samples taken) in this run").add(s.sampled());
            f.counter(SAMPLING_MISSED, "Positions left without a timestamp (budget spent or fetch failed)")
                    .add(s.missed());
            f.counter(SAMPLING_CLOCK_SKEWED, "Samples whose timestamp lay in the future (time lag reported as 0)")
                    .add(s.clockSkewed());
            f.counter(SAMPLING_FETCH_REQUESTS, "Fetch requests the timestamp sampler sent in this run")
                    .add(s.fetchRequests());
            f.counter(SAMPLING_FETCHED_BYTES, "Record bytes fetched for timestamp sampling in this run")
                    .add(s.bytesFetched());
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
