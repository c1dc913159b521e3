package io.lagsnap.core.format;

import io.lagsnap.sink.api.format.HtmlPage;
import io.lagsnap.sink.api.format.PrometheusText;
import io.lagsnap.sink.api.format.RowJson;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The encodings a snapshot can be written in by the file and stdout sinks. */
public enum OutputFormat {
    /** NDJSON rows ({@link RowJson}). */
    JSON,
    /** Prometheus text exposition 0.0.4 of the metric families. */
    PROMETHEUS,
    /** The JSON metric array ({@link MetricJson}) of the metric families. */
    METRICS_JSON,
    /** A readable table sorted by lag. */
    TABLE,
    /** The lag status page ({@link HtmlPage}), one section per cluster. */
    HTML;

    public static OutputFormat parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this format encodes metric families, and so can carry the run's own metrics beside the snapshot's. */
    public boolean carriesRunMetrics() {
        return this == PROMETHEUS || this == METRICS_JSON;
    }

    public void write(Snapshot snapshot, OutputStream out) throws IOException {
        switch (this) {
            case JSON -> RowJson.write(snapshot, out);
            case PROMETHEUS -> PrometheusText.write(snapshot.families(), out);
            case METRICS_JSON -> MetricJson.write(snapshot.families(), out);
            case TABLE -> {
                PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8);
                LagTable.write(snapshot, ps);
                ps.flush();
            }
            case HTML -> HtmlPage.write(snapshot, out);
        }
        out.flush();
    }

    /**
     * {@code written} (what {@link #write} made of a snapshot) followed by the run's own families
     * ({@code RunReport.metrics()}), without encoding the snapshot a second time. Their names ({@code lagsnap_run_*},
     * {@code lagsnap_sink_*}) are not the snapshot's, so appended families are a valid exposition.
     */
    public void appendRunMetrics(Path written, List<MetricFamily> runMetrics, OutputStream out) throws IOException {
        switch (this) {
            case PROMETHEUS -> {
                Files.copy(written, out);
                PrometheusText.write(runMetrics, out);
            }
            case METRICS_JSON -> MetricJson.append(written, runMetrics, out);
            default -> throw new IllegalStateException(configName() + " carries no run metrics");
        }
        out.flush();
    }
}
