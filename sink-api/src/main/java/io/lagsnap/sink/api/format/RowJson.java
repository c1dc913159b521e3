package io.lagsnap.sink.api.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.SeriesTrend;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The NDJSON row schema shared by the file, stdout and object-store sinks: one object per group-partition, with
 * exactly the fields in {@link #FIELDS}, in that order. A row of a group that never committed on its partition has
 * null {@code committed_offset}, {@code lag}, {@code lag_committed}, {@code retention_margin} and
 * {@code lag_retention_ratio}, and a number in {@code lag_if_reset} (docs/group-types.md). The last four fields are
 * the row's trend at the cluster's granularity (its topic's, or its partition's, see docs/trends.md): {@code status}
 * null when the run keeps no trend state (or the row has no position to trend), the rates and {@code eta_seconds}
 * null until the series has a window; an {@code eta_seconds} of +Inf (not gaining) is the string
 * {@code "Infinity"}, as in the JSON metric array.
 */
public final class RowJson {
    /** The fields in order; each name is encoded once, not once per row (50,000 rows write 1.5 million names). */
    private enum Field {
        SNAPSHOT_TIME, CLUSTER, GROUP, GROUP_STATE, TOPIC, PARTITION, COMMITTED_OFFSET, LOW_WATERMARK,
        HIGH_WATERMARK, LAG, LAG_SECONDS, SAMPLED_OFFSET, SAMPLED_TIMESTAMP, MEMBER_HOST, CONSUMER_ID, CLIENT_ID,
        MESSAGES_LOST, RETENTION_MARGIN, LAG_RETENTION_RATIO, COMPACTION_DETECTED, DATA_LOSS_DETECTED, GROUP_TYPE,
        LAST_STABLE_OFFSET, LAG_COMMITTED, LAG_SOURCE, LAG_ISOLATION, LAG_IF_RESET, STATUS, CONSUME_RATE,
        PRODUCE_RATE, ETA_SECONDS;

        final SerializedString key = new SerializedString(name().toLowerCase(Locale.ROOT));
    }

    public static final List<String> FIELDS = Arrays.stream(Field.values()).map(f -> f.key.getValue()).toList();

    // Schubfach, as Double.toString is from JDK 19 on: JDK 17's own is slower and, for a few large values, writes
    // more digits than needed (the same double either way)
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private RowJson() {
    }

    public static void write(Snapshot snapshot, OutputStream out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            for (ClusterSnapshot c : snapshot.clusters()) {
                writeRows(c, g);
            }
        }
    }

    public static void write(ClusterSnapshot cluster, OutputStream out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            writeRows(cluster, g);
        }
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        g.setRootValueSeparator(null);
        return g;
    }

    private static void writeRows(ClusterSnapshot c, JsonGenerator g) throws IOException {
        SerializedString time = new SerializedString(c.time().toString());
        SerializedString cluster = new SerializedString(c.name());
        Map<List<Object>, SeriesTrend> trends = new HashMap<>();
        for (SeriesTrend t : c.trends()) {
            if (!t.isGroup()) {
                trends.put(List.of(t.group(), t.topic(), t.partition() == null ? -1 : t.partition()), t);
            }
        }
        boolean byPartition = c.granularity() == Granularity.PARTITION;
        for (PartitionLag r : c.rows()) {
            writeRow(g, time, cluster, r, trendOf(trends, r, byPartition));
        }
    }

    /** A row without a position (never committed there) has no trend, though its topic's series may have one. */
    private static SeriesTrend trendOf(Map<List<Object>, SeriesTrend> trends, PartitionLag r, boolean byPartition) {
        return trends.isEmpty() || !r.hasPosition() ? null
                : trends.get(List.of(r.group(), r.topic(), byPartition ? r.partition() : -1));
    }

    // One call per row rather than the loop's body (the trend lookup too): a cold JVM compiles a method after a few
    // hundred calls, but a loop in a method called once runs interpreted until tens of thousands of iterations
    // (measured: 50,000 rows were written entirely by the interpreter, ~110 ms of a cold run).
    private static void writeRow(JsonGenerator g, SerializedString time, SerializedString cluster, PartitionLag r,
                                 SeriesTrend trend) throws IOException {
        g.writeStartObject();
        g.writeFieldName(Field.SNAPSHOT_TIME.key);
        g.writeString(time);
        g.writeFieldName(Field.CLUSTER.key);
        g.writeString(cluster);
        string(g, Field.GROUP, r.group());
        string(g, Field.GROUP_STATE, r.groupState().displayName());
        string(g, Field.TOPIC, r.topic());
        number(g, Field.PARTITION, r.partition());
        number(g, Field.COMMITTED_OFFSET, r.committedOffset());
        number(g, Field.LOW_WATERMARK, r.lowWatermark());
        number(g, Field.HIGH_WATERMARK, r.highWatermark());
        number(g, Field.LAG, r.lag());
        decimal(g, Field.LAG_SECONDS, r.lagSeconds());
        number(g, Field.SAMPLED_OFFSET, r.sampledOffset());
        string(g, Field.SAMPLED_TIMESTAMP, r.sampledTimestamp() == null ? null : r.sampledTimestamp().toString());
        string(g, Field.MEMBER_HOST, r.member().host());
        string(g, Field.CONSUMER_ID, r.member().consumerId());
        string(g, Field.CLIENT_ID, r.member().clientId());
        number(g, Field.MESSAGES_LOST, r.messagesLost());
        number(g, Field.RETENTION_MARGIN, r.retentionMargin());
        decimal(g, Field.LAG_RETENTION_RATIO, r.lagRetentionRatio());
        g.writeFieldName(Field.COMPACTION_DETECTED.key);
        g.writeBoolean(r.compactionDetected());
        g.writeFieldName(Field.DATA_LOSS_DETECTED.key);
        g.writeBoolean(r.dataLossDetected());
        string(g, Field.GROUP_TYPE, r.groupType().label());
        number(g, Field.LAST_STABLE_OFFSET, r.lastStableOffset());
        number(g, Field.LAG_COMMITTED, r.lagCommitted());
        string(g, Field.LAG_SOURCE, r.lagSource().label());
        string(g, Field.LAG_ISOLATION, r.lagIsolation().label());
        number(g, Field.LAG_IF_RESET, r.lagIfReset());
        trend(g, trend);
        g.writeEndObject();
        g.writeRaw('\n');
    }

    private static void trend(JsonGenerator g, SeriesTrend t) throws IOException {
        string(g, Field.STATUS, t == null ? null : t.status());
        decimal(g, Field.CONSUME_RATE, t == null ? null : t.consumeRate());
        decimal(g, Field.PRODUCE_RATE, t == null ? null : t.produceRate());
        decimal(g, Field.ETA_SECONDS, t == null ? null : t.etaSeconds());
    }

    private static void string(JsonGenerator g, Field field, String value) throws IOException {
        g.writeFieldName(field.key);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    /** A double, null as null; +Inf becomes the string "Infinity" (Jackson quotes non-finite numbers). */
    private static void decimal(JsonGenerator g, Field field, Double value) throws IOException {
        g.writeFieldName(field.key);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
    }

    private static void number(JsonGenerator g, Field field, long value) throws IOException {
        g.writeFieldName(field.key);
        g.writeNumber(value);
    }

    private static void number(JsonGenerator g, Field field, Long value) throws IOException {
        g.writeFieldName(field.key);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value);
        }
    }
}
