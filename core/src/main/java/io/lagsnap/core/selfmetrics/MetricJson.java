package io.lagsnap.core.selfmetrics;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.core.metrics.Labels;
import io.lagsnap.core.metrics.MetricFamily;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * The JSON metric array: one object per series, {@code [{"name","type","help","labels","value"}]}, for consumers
 * that want metrics without a Prometheus parser. Encodes the same families as Prometheus text, lag and
 * self-metrics alike; {@code type} is "gauge" or "counter" as the family says.
 */
public final class MetricJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private MetricJson() {
    }

    public static void write(List<MetricFamily> families, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartArray();
            for (MetricFamily f : families) {
                String type = f.type().name().toLowerCase(Locale.ROOT);
                for (MetricFamily.Sample s : f.samples()) {
                    g.writeStartObject();
                    g.writeStringField("name", f.name());
                    g.writeStringField("type", type);
                    g.writeStringField("help", f.help());
                    g.writeObjectFieldStart("labels");
                    Labels labels = s.labels();
                    for (int i = 0; i < labels.size(); i++) {
                        g.writeStringField(labels.name(i), labels.value(i));
                    }
                    g.writeEndObject();
                    g.writeNumberField("value", s.value());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
    }
}
