package io.lagsnap.core.config;

import io.lagsnap.sink.api.model.Granularity;
import java.time.Duration;

/** The {@code [exporter]} table: how a cycle collects, shared by every cluster. */
public record ExporterConfig(Granularity granularity, LagIsolation lagIsolation, TimestampSampling timestampSampling,
                             Performance performance) {

    public static final ExporterConfig DEFAULTS = new ExporterConfig(Granularity.TOPIC, LagIsolation.AUTO,
            TimestampSampling.DEFAULTS, Performance.DEFAULTS);

    /**
     * {@code lag_isolation}: which lag feeds kafka_consumergroup_group_lag and the aggregates. AUTO reports the
     * last-stable-offset lag for share groups whose group config share.isolation.level is read_committed, and the
     * high-watermark lag (klag-exporter's) for every other group: no describe response carries a consumer's
     * isolation.level (docs/group-types.md).
     */
    public enum LagIsolation {
        READ_UNCOMMITTED,
        READ_COMMITTED,
        AUTO
    }

    /**
     * {@code [exporter.timestamp_sampling]}. {@code fetchTimeout} is the sampling budget inside the run deadline;
     * {@code maxPartitionsPerWave} bounds memory on huge clusters.
     */
    public record TimestampSampling(
            boolean enabled,
            Duration fetchTimeout,
            int maxPartitionsPerWave,
            boolean skipDataLossPartitions) {
        public static final TimestampSampling DEFAULTS =
                new TimestampSampling(true, Duration.ofSeconds(10), 5_000, false);
    }

    /**
     * {@code [exporter.performance]}: per-call timeouts, each still capped by the run deadline; {@code connectTimeout}
     * bounds proving a cluster reachable (DNS, TCP, Kafka, TLS, SASL) before any call.
     */
    public record Performance(Duration kafkaTimeout, Duration offsetFetchTimeout, Duration connectTimeout) {
        public static final Performance DEFAULTS =
                new Performance(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }
}
