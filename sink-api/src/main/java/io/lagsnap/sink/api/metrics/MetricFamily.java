package io.lagsnap.sink.api.metrics;

import java.util.List;

/**
 * One metric, encoding-neutral: Prometheus text, the Pushgateway, OTLP, KIP-714 and the JSON metric array all
 * encode these same families.
 */
public record MetricFamily(String name, Type type, String help, List<Sample> samples) {
    public enum Type {
        GAUGE,
        COUNTER
    }

    public record Sample(Labels labels, double value) {
    }

    public MetricFamily {
        samples = List.copyOf(samples);
    }
}
