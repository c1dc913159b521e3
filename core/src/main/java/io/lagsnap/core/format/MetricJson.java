package io.lagsnap.core.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The JSON metric array: one object per series, {@code [{"name","type","help","labels","value"}]}, for consumers
 * that want metrics without a Prometheus parser. Encodes the same families as Prometheus text, lag and
 * self-metrics alike; {@code type} is "gauge" or "counter" as the family says.
 */
public final class MetricJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** What {@link #write} gives for no families. */
    private static final byte[] EMPTY = "[]\n".getBytes(StandardCharsets.UTF_8);

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

    /**
     * The array {@link #write} left in {@code written}, with {@code more} families' objects added at its end: byte
     * for byte what {@link #write} gives for all the families at once, without encoding the first ones again.
     */
    public static void append(Path written, List<MetricFamily> more, OutputStream out) throws IOException {
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        write(more, tail);
        byte[] added = tail.toByteArray();
        long size = Files.size(written);
        if (added.length == EMPTY.length) {
            Files.copy(written, out);
            return;
        }
        // everything but the closing "]\n", then the new objects and the new closing
        try (InputStream in = Files.newInputStream(written)) {
            long left = size - 2;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        if (size > EMPTY.length) {
            out.write(',');
        }
        out.write(added, 1, added.length - 1);
    }
}
