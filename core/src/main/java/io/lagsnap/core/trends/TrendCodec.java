package io.lagsnap.core.trends;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.sink.api.model.Granularity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The trend object, {@code trend.json.gz}: gzip JSON with a {@code version}. Points are stored as three columns of
 * deltas (time in epoch milliseconds, committed offset, log end (see {@link TrendPoint}); the first value absolute), so a steady
 * series is a run of equal small numbers that gzip folds away. A group's full-resolution points add a fourth column,
 * {@code s}: its largest time lag in whole milliseconds (absolute, null where none was read); objects written before
 * it existed have no {@code s} and load with no time lag. Full-resolution points also carry {@code n}, how many
 * partitions each sum covers (deltas); absent, it reads as unknown. Layout in docs/trends.md.
 */
public final class TrendCodec {
    /** The version this code writes; it reads this one and every older one. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private TrendCodec() {
    }

    /** What reading a trend object gave; anything but {@link Loaded} means: start from an empty state, warn, count. */
    public sealed interface Decoded {
    }

    public record Loaded(TrendState state) implements Decoded {
    }

    /** No trend object yet (the first run, or a new store). */
    public record Missing() implements Decoded {
    }

    /** Not gzip, not JSON, a field missing or of the wrong type, or another cluster's object. */
    public record Corrupt(String reason) implements Decoded {
    }

    /** Written by a newer lagsnap: left for it, never misread. */
    public record NewerVersion(int version) implements Decoded {
    }

    public static byte[] encode(TrendState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
             JsonGenerator g = FACTORY.createGenerator(gzip, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("version", VERSION);
            g.writeStringField("cluster", state.cluster());
            g.writeStringField("granularity", state.granularity().name().toLowerCase(Locale.ROOT));
            if (state.time() != null) {
                g.writeNumberField("time", state.time().toEpochMilli());
            }
            g.writeArrayFieldStart("series");
            for (Series s : state.series().values()) {
                writeSeries(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the trend state in memory", e);
        }
        return bytes.toByteArray();
    }

    /** Reads the object's bytes ({@code null} or empty when there is none) for {@code cluster}; never throws. */
    public static Decoded decode(byte[] gzipped, String cluster) {
        if (gzipped == null || gzipped.length == 0) {
            return new Missing();
        }
        JsonNode root;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            return new Corrupt("not gzip JSON: " + e.getMessage());
        }
        try {
            int version = field(root, "version").intValue();
            if (version > VERSION) {
                return new NewerVersion(version);
            }
            String owner = field(root, "cluster").textValue();
            if (!cluster.equals(owner)) {
                return new Corrupt("trend object of cluster \"" + owner + "\", expected \"" + cluster + "\"");
            }
            Granularity granularity = Granularity.valueOf(field(root, "granularity").asText().toUpperCase(Locale.ROOT));
            Instant time = root.has("time") ? Instant.ofEpochMilli(root.get("time").longValue()) : null;
            Map<SeriesKey, Series> series = new TreeMap<>();
            for (JsonNode n : field(root, "series")) {
                Series s = readSeries(n);
                series.put(s.key(), s);
            }
            return new Loaded(new TrendState(owner, granularity, time, series));
        } catch (IllegalArgumentException | NullPointerException e) {
            return new Corrupt(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static void writeSeries(JsonGenerator g, Series s) throws IOException {
        g.writeStartObject();
        g.writeStringField("group", s.key().group());
        if (!s.key().isGroup()) {
            g.writeStringField("topic", s.key().topic());
            g.writeNumberField("partition", s.key().partition());
        }
        g.writeBooleanField("members", s.members());
        g.writeBooleanField("data_loss", s.dataLoss());
        g.writeNumberField("committed_since", s.committedSince().toEpochMilli());
        g.writeNumberField("last_seen", s.lastSeen().toEpochMilli());
        writePoints(g, "points", s.points(), s.key().isGroup());
        if (s.key().isGroup()) {
            writePoints(g, "day", s.day(), false);
            writePoints(g, "week", s.week(), false);
        }
        g.writeEndObject();
    }

    private static void writePoints(JsonGenerator g, String name, List<TrendPoint> points, boolean lagSeconds)
            throws IOException {
        g.writeObjectFieldStart(name);
        writeDeltas(g, "t", points.stream().mapToLong(p -> p.time().toEpochMilli()).toArray());
        writeDeltas(g, "c", points.stream().mapToLong(TrendPoint::committed).toArray());
        writeDeltas(g, "h", points.stream().mapToLong(TrendPoint::end).toArray());
        if (points.stream().anyMatch(p -> p.partitions() > 0)) {
            writeDeltas(g, "n", points.stream().mapToLong(TrendPoint::partitions).toArray());
        }
        if (lagSeconds) {
            g.writeArrayFieldStart("s");
            for (TrendPoint p : points) {
                if (p.lagSeconds() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(Math.round(p.lagSeconds() * 1000));
                }
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeDeltas(JsonGenerator g, String name, long[] values) throws IOException {
        g.writeArrayFieldStart(name);
        long previous = 0;
        for (long v : values) {
            g.writeNumber(v - previous);
            previous = v;
        }
        g.writeEndArray();
    }

    private static Series readSeries(JsonNode n) {
        String group = field(n, "group").textValue();
        SeriesKey key = n.has("topic")
                ? new SeriesKey(group, field(n, "topic").textValue(), field(n, "partition").intValue())
                : SeriesKey.ofGroup(group);
        List<TrendPoint> points = readPoints(field(n, "points"));
        if (points.isEmpty()) {
            throw new IllegalArgumentException("series " + key + " has no points");
        }
        return new Series(key, points, key.isGroup() ? readPoints(field(n, "day")) : List.of(),
                key.isGroup() ? readPoints(field(n, "week")) : List.of(), field(n, "members").booleanValue(),
                field(n, "data_loss").booleanValue(), Instant.ofEpochMilli(field(n, "committed_since").longValue()),
                Instant.ofEpochMilli(field(n, "last_seen").longValue()));
    }

    private static List<TrendPoint> readPoints(JsonNode n) {
        long[] t = readDeltas(field(n, "t"));
        long[] c = readDeltas(field(n, "c"));
        long[] h = readDeltas(field(n, "h"));
        if (c.length != t.length || h.length != t.length) {
            throw new IllegalArgumentException("point columns of unequal length: " + t.length + ", " + c.length
                    + ", " + h.length);
        }
        Double[] s = readMillis(n.get("s"), t.length);
        long[] partitions = readPartitions(n.get("n"), t.length);
        List<TrendPoint> points = new ArrayList<>(t.length);
        for (int i = 0; i < t.length; i++) {
            points.add(new TrendPoint(Instant.ofEpochMilli(t[i]), c[i], h[i], s[i], (int) partitions[i]));
        }
        return points;
    }

    /** The optional partition count column: absent (an older object, or downsampled points) reads as unknown, 0. */
    private static long[] readPartitions(JsonNode array, int length) {
        if (array == null) {
            return new long[length];
        }
        long[] counts = readDeltas(array);
        if (counts.length != length) {
            throw new IllegalArgumentException("partition count column \"n\": expected " + length + " values, got "
                    + counts.length);
        }
        for (long count : counts) {
            if (count < 0 || count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("partition count column \"n\": " + count + " is no count");
            }
        }
        return counts;
    }

    /** The optional time lag column: absent (an older object) reads as no time lag anywhere. */
    private static Double[] readMillis(JsonNode array, int length) {
        Double[] seconds = new Double[length];
        if (array == null) {
            return seconds;
        }
        if (!array.isArray() || array.size() != length) {
            throw new IllegalArgumentException("time lag column \"s\": expected " + length + " values, got "
                    + (array.isArray() ? array.size() : array.getNodeType()));
        }
        for (int i = 0; i < length; i++) {
            JsonNode ms = array.get(i);
            if (!ms.isNull() && !ms.isIntegralNumber()) {
                throw new IllegalArgumentException("expected an integer or null, got " + ms);
            }
            seconds[i] = ms.isNull() ? null : ms.longValue() / 1000.0;
        }
        return seconds;
    }

    private static long[] readDeltas(JsonNode array) {
        if (!array.isArray()) {
            throw new IllegalArgumentException("expected an array of numbers, got " + array.getNodeType());
        }
        long[] values = new long[array.size()];
        long previous = 0;
        for (int i = 0; i < values.length; i++) {
            JsonNode d = array.get(i);
            if (!d.isIntegralNumber()) {
                throw new IllegalArgumentException("expected an integer, got " + d);
            }
            previous += d.longValue();
            values[i] = previous;
        }
        return values;
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field \"" + name + "\"");
        }
        return value;
    }
}
