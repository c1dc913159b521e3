package io.lagsnap.sink.api.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The NDJSON row schema shared by the file, stdout and object-store sinks: one object per group-partition, with
 * exactly the fields in {@link #FIELDS}, in that order.
 */
public final class RowJson {
    public static final List<String> FIELDS = List.of("snapshot_time", "cluster", "group", "group_state", "topic",
            "partition", "committed_offset", "low_watermark", "high_watermark", "lag", "lag_seconds",
            "sampled_offset", "sampled_timestamp", "member_host", "consumer_id", "client_id", "messages_lost",
            "retention_margin", "lag_retention_ratio", "compaction_detected", "data_loss_detected");

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
        for (PartitionLag r : c.rows()) {
            g.writeStartObject();
            g.writeStringField("snapshot_time", time);
            g.writeStringField("cluster", c.name());
            g.writeStringField("group", r.group());
            g.writeStringField("group_state", r.groupState().displayName());
            g.writeStringField("topic", r.topic());
            g.writeNumberField("partition", r.partition());
            g.writeNumberField("committed_offset", r.committedOffset());
            g.writeNumberField("low_watermark", r.lowWatermark());
            g.writeNumberField("high_watermark", r.highWatermark());
            g.writeNumberField("lag", r.lag());
            if (r.lagSeconds() == null) {
                g.writeNullField("lag_seconds");
            } else {
                g.writeNumberField("lag_seconds", r.lagSeconds());
            }
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
            g.writeNumberField("retention_margin", r.retentionMargin());
            g.writeNumberField("lag_retention_ratio", r.lagRetentionRatio());
            g.writeBooleanField("compaction_detected", r.compactionDetected());
            g.writeBooleanField("data_loss_detected", r.dataLossDetected());
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
