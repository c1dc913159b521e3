package io.lagsnap.core.format;

import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.core.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The encodings a snapshot can be written in by the file and stdout sinks. */
public enum OutputFormat {
    /** NDJSON rows ({@link RowJson}). */
    JSON,
    /** Prometheus text exposition 0.0.4 of the metric families. */
    PROMETHEUS,
    /** A readable table sorted by lag. */
    TABLE;

    public static OutputFormat parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public void write(Snapshot snapshot, OutputStream out) throws IOException {
        switch (this) {
            case JSON -> RowJson.write(snapshot, out);
            case PROMETHEUS -> PrometheusText.write(MetricFamilies.of(snapshot), out);
            case TABLE -> {
                PrintStream ps = new PrintStream(out, false, StandardCharsets.UTF_8);
                LagTable.write(snapshot, ps);
                ps.flush();
            }
        }
        out.flush();
    }
}
