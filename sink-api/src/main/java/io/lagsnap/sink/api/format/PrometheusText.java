package io.lagsnap.sink.api.format;

import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metric families in Prometheus client_java 1.x's model, and text exposition 0.0.4 written by its own writer (no
 * hand-rolled escaping). client_java forbids a gauge named {@code *_total}; klag-exporter's two such gauges are
 * therefore modelled as counters without the suffix, which the writer puts back: the series names are unchanged.
 * Likewise it forbids a gauge named {@code *_info}: lagsnap_group_info goes to it as an info metric, which the
 * 0.0.4 text writer prints as that same gauge.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TOTAL = "_total";
    private static final String INFO = "_info";

    private PrometheusText() {
    }

    public static MetricSnapshots snapshots(List<MetricFamily> families) {
        Converted converted = new Converted();
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        for (MetricFamily f : families) {
            out.add(snapshot(f, converted));
        }
        return new MetricSnapshots(out);
    }

    /**
     * The same text as client_java's writer gives for {@link #snapshots} of all families, but built and written one
     * name at a time, in the writer's order: only one family's data points exist at once. With granularity
     * "partition" at 50,000 group-partitions that is 50,000 of them instead of 300,000, and the smallest heap that
     * collects and encodes such a cluster falls from about 100 MB to about 64 MB (Serial GC). Families sharing a name
     * go to the writer together, which merges them as it would have. client_java's copy of each label set is kept for
     * the whole encoding, as the families that share the set come under different names.
     */
    public static void write(List<MetricFamily> families, OutputStream out) throws IOException {
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        Converted converted = new Converted();
        Map<String, List<MetricFamily>> byName = new TreeMap<>();
        for (MetricFamily f : families) {
            byName.computeIfAbsent(prometheusName(f), name -> new ArrayList<>()).add(f);
        }
        for (List<MetricFamily> sameName : byName.values()) {
            writer.write(out, new MetricSnapshots(sameName.stream().map(f -> snapshot(f, converted)).toList()));
        }
    }

    private static MetricSnapshot snapshot(MetricFamily f, Converted converted) {
        if (isCounter(f)) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(snapshotName(f)).help(f.help());
            for (MetricFamily.Sample s : f.samples()) {
                b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .value(s.value()).labels(converted.of(s.labels())).build());
            }
            return b.build();
        }
        if (isInfo(f)) {
            InfoSnapshot.Builder b = InfoSnapshot.builder().name(snapshotName(f)).help(f.help());
            for (MetricFamily.Sample s : f.samples()) {
                b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(converted.of(s.labels())).build());
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(f.name()).help(f.help());
        for (MetricFamily.Sample s : f.samples()) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .value(s.value()).labels(converted.of(s.labels())).build());
        }
        return b.build();
    }

    private static boolean isCounter(MetricFamily f) {
        return f.type() == MetricFamily.Type.COUNTER || f.name().endsWith(TOTAL);
    }

    /** A gauge {@code *_info} whose every value is 1: client_java's info type, which it writes as that gauge. */
    private static boolean isInfo(MetricFamily f) {
        return f.type() == MetricFamily.Type.GAUGE && f.name().endsWith(INFO)
                && f.samples().stream().allMatch(s -> s.value() == 1.0);
    }

    private static String snapshotName(MetricFamily f) {
        if (f.name().endsWith(TOTAL)) {
            return f.name().substring(0, f.name().length() - TOTAL.length());
        }
        return isInfo(f) ? f.name().substring(0, f.name().length() - INFO.length()) : f.name();
    }

    /** The name client_java orders and merges families by. */
    private static String prometheusName(MetricFamily f) {
        return PrometheusNaming.prometheusName(snapshotName(f));
    }

    /**
     * client_java's labels of each label set, converted once per encoding: families derived together share a set
     * (a row's labels on each per-partition family), and client_java validates and sorts the names of every set it
     * is given, which was a third of the encoding time with partition series.
     */
    private static final class Converted {
        private final Map<Labels, io.prometheus.metrics.model.snapshots.Labels> bySet = new IdentityHashMap<>();

        io.prometheus.metrics.model.snapshots.Labels of(Labels l) {
            return bySet.computeIfAbsent(l, Converted::convert);
        }

        private static io.prometheus.metrics.model.snapshots.Labels convert(Labels l) {
            String[] names = new String[l.size()];
            String[] values = new String[l.size()];
            for (int i = 0; i < l.size(); i++) {
                names[i] = l.name(i);
                values[i] = l.value(i);
            }
            return io.prometheus.metrics.model.snapshots.Labels.of(names, values);
        }
    }
}
