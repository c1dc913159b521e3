package io.lagsnap.sink.api.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.SeriesTrend;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
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
    public static final List<String> FIELDS = List.of("snapshot_time", "cluster", "group", "group_state", "topic",
            "partition", "committed_offset", "low_watermark", "high_watermark", "lag", "lag_seconds",
            "sampled_offset", "sampled_timestamp", "member_host", "consumer_id", "client_id", "messages_lost",
            "retention_margin", "lag_retention_ratio", "compaction_detected", "data_loss_detected",
            "group_type", "last_stable_offset", "lag_committed", "lag_source", "lag_isolation", "lag_if_reset",
            "status", "consume_rate", "produce_rate", "eta_seconds");

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

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
        String time = c.time().toString();
        Map<List<Object>, SeriesTrend> trends = new HashMap<>();
        for (SeriesTrend t : c.trends()) {
            if (!t.isGroup()) {
                trends.put(List.of(t.group(), t.topic(), t.partition() == null ? -1 : t.partition()), t);
            }
        }
        for (PartitionLag r : c.rows()) {
            g.writeStartObject();
            g.writeStringField("snapshot_time", time);
            g.writeStringField("cluster", c.name());
            g.writeStringField("group", r.group());
            g.writeStringField("group_state", r.groupState().displayName());
            g.writeStringField("topic", r.topic());
            g.writeNumberField("partition", r.partition());
            number(g, "committed_offset", r.committedOffset());
            g.writeNumberField("low_watermark", r.lowWatermark());
            g.writeNumberField("high_watermark", r.highWatermark());
            number(g, "lag", r.lag());
            decimal(g, "lag_seconds", r.lagSeconds());
            if (r.sampledOffset() == null) {
                g.writeNullField("sampled_offset");
            } else {
                g.writeNumberField("sampled_offset", r.sampledOffset());
            }
            if (r.sampledTimestamp() == null) {
                g.writeNullField("sampled_timestamp");
            } else {
                g.writeStringField("sampled_timestamp", r.sampledTimestamp().toString());
            }
            g.writeStringField("member_host", r.member().host());
            g.writeStringField("consumer_id", r.member().consumerId());
            g.writeStringField("client_id", r.member().clientId());
            g.writeNumberField("messages_lost", r.messagesLost());
            number(g, "retention_margin", r.retentionMargin());
            decimal(g, "lag_retention_ratio", r.lagRetentionRatio());
            g.writeBooleanField("compaction_detected", r.compactionDetected());
            g.writeBooleanField("data_loss_detected", r.dataLossDetected());
            g.writeStringField("group_type", r.groupType().label());
            g.writeNumberField("last_stable_offset", r.lastStableOffset());
            number(g, "lag_committed", r.lagCommitted());
            g.writeStringField("lag_source", r.lagSource().label());
            g.writeStringField("lag_isolation", r.lagIsolation().label());
            number(g, "lag_if_reset", r.lagIfReset());
            trend(g, trends.get(List.of(r.group(), r.topic(),
                    c.granularity() == Granularity.PARTITION ? r.partition() : -1)));
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    private static void trend(JsonGenerator g, SeriesTrend t) throws IOException {
        if (t == null) {
            g.writeNullField("status");
        } else {
            g.writeStringField("status", t.status());
        }
        decimal(g, "consume_rate", t == null ? null : t.consumeRate());
        decimal(g, "produce_rate", t == null ? null : t.produceRate());
        decimal(g, "eta_seconds", t == null ? null : t.etaSeconds());
    }

    /** A double, null as null; +Inf becomes the string "Infinity" (Jackson quotes non-finite numbers). */
    private static void decimal(JsonGenerator g, String field, Double value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    private static void number(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }
}
