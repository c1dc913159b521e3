package io.lagsnap.core.selfmetrics;

import java.time.Duration;

/**
 * Walks the self-metrics of a {@link SelfMetrics}, each series once, in the order they were first recorded. The
 * exporter to {@link io.lagsnap.sink.api.metrics.MetricFamily} entries is the one every sink goes through, so the
 * self-metrics reach Prometheus text, the JSON metric array, OTLP and KIP-714 exactly like the lag metrics.
 */
public interface MetricVisitor {
    void counter(MetricId id, long value);

    void gauge(MetricId id, double value);

    /**
     * A latency tracker: {@code id} names its time in seconds, {@code countName} its number of observations;
     * {@code min} and {@code max} are null when nothing was observed.
     */
    void latency(MetricId id, String countName, long count, Duration sum, Duration min, Duration max);
}
