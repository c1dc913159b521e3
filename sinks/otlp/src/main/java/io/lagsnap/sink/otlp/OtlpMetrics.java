package io.lagsnap.sink.otlp;

import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Snapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Metric families as OTLP gauges: labels become attributes, and each point carries the time it was read: its
 * cluster's snapshot time, or for the run's own metrics the time the run report was made. Every family is a gauge,
 * as in klag-exporter (its {@code _total} ones too): a one-shot run has no process lifetime over which a counter
 * could accumulate.
 */
final class OtlpMetrics {
    static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("lagsnap");

    /** Families read at one time. */
    private record Reading(List<MetricFamily> families, Instant time) {
    }

    private OtlpMetrics() {
    }

    /** One metric per family name across all clusters, families in first-seen order. */
    static List<MetricData> of(Snapshot snapshot, Resource resource) {
        return gauges(snapshot.clusters().stream().map(c -> new Reading(c.families(), c.time())).toList(),
                resource);
    }

    /** The run's own families (passed to {@code Sink.deliverReport}), every point at {@code time}. */
    static List<MetricData> of(List<MetricFamily> runMetrics, Instant time, Resource resource) {
        return gauges(List.of(new Reading(runMetrics, time)), resource);
    }

    private static List<MetricData> gauges(List<Reading> readings, Resource resource) {
        Map<String, MetricFamily> first = new LinkedHashMap<>();
        Map<String, List<DoublePointData>> points = new LinkedHashMap<>();
        for (Reading reading : readings) {
            long epochNanos = epochNanos(reading.time());
            for (MetricFamily f : reading.families()) {
                first.putIfAbsent(f.name(), f);
                List<DoublePointData> list = points.computeIfAbsent(f.name(), n -> new ArrayList<>());
                for (MetricFamily.Sample s : f.samples()) {
                    // start time 0 = unset: a gauge point is a reading at one instant
                    list.add(DoublePointData.create(0, epochNanos, attributes(s.labels()), s.value(), List.of()));
                }
            }
        }
        List<MetricData> out = new ArrayList<>(first.size());
        first.forEach((name, f) -> out.add(new GaugeMetric(resource, SCOPE, name, f.help(), "",
                GaugeData.createDoubleGaugeData(points.get(name)))));
        return out;
    }

    private static Attributes attributes(Labels labels) {
        AttributesBuilder b = Attributes.builder();
        for (int i = 0; i < labels.size(); i++) {
            b.put(labels.name(i), labels.value(i));
        }
        return b.build();
    }

    private static long epochNanos(Instant t) {
        return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    }
}
