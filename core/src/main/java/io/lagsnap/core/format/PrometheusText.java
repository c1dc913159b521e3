package io.lagsnap.core.format;

import io.lagsnap.core.metrics.Labels;
import io.lagsnap.core.metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Metric families in Prometheus client_java 1.x's model, and text exposition 0.0.4 written by its own writer (no
 * hand-rolled escaping). client_java forbids a gauge named {@code *_total}; klag-exporter's two such gauges are
 * therefore modelled as counters without the suffix, which the writer puts back: the series names are unchanged.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TOTAL = "_total";

    private PrometheusText() {
    }

    public static MetricSnapshots snapshots(List<MetricFamily> families) {
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        for (MetricFamily f : families) {
            if (f.type() == MetricFamily.Type.COUNTER || f.name().endsWith(TOTAL)) {
                String name = f.name().endsWith(TOTAL)
                        ? f.name().substring(0, f.name().length() - TOTAL.length()) : f.name();
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(f.help());
                for (MetricFamily.Sample s : f.samples()) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .value(s.value()).labels(labels(s.labels())).build());
                }
                out.add(b.build());
            } else {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name()).help(f.help());
                for (MetricFamily.Sample s : f.samples()) {
                    b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .value(s.value()).labels(labels(s.labels())).build());
                }
                out.add(b.build());
            }
        }
        return new MetricSnapshots(out);
    }

    public static void write(List<MetricFamily> families, OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, snapshots(families));
    }

    private static io.prometheus.metrics.model.snapshots.Labels labels(Labels l) {
        String[] names = new String[l.size()];
        String[] values = new String[l.size()];
        for (int i = 0; i < l.size(); i++) {
            names[i] = l.name(i);
            values[i] = l.value(i);
        }
        return io.prometheus.metrics.model.snapshots.Labels.of(names, values);
    }
}
