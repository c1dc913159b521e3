package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lagsnap.sink.api.format.RowJson;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.SeriesTrend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/** Reads history objects back and checks them row by row against the snapshot they were written from. */
final class Rows {
    /** Whole numbers always parse as longs, so a parsed row compares equal to one built with long fields. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private Rows() {
    }

    /** Gunzips and parses an NDJSON object: one JSON object per line, nothing else. */
    static List<JsonNode> gunzip(byte[] object) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(object))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<JsonNode> rows = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(parse(line));
                }
            }
            assertThat(text).endsWith("\n");
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every row of the object equals the corresponding row of the snapshot, field by field, in order. */
    static void assertMatch(byte[] object, ClusterSnapshot cluster) {
        List<JsonNode> rows = gunzip(object);
        assertThat(rows).hasSize(cluster.rows().size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i)).as("row %d", i).isEqualTo(expected(cluster, cluster.rows().get(i)));
            List<String> names = new ArrayList<>();
            rows.get(i).fieldNames().forEachRemaining(names::add);
            assertThat(names).as("fields of row %d", i).isEqualTo(RowJson.FIELDS);
        }
    }

    /** The row as the table schema defines it, built from the model (not through RowJson). */
    static ObjectNode expected(ClusterSnapshot cluster, PartitionLag r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("snapshot_time", cluster.time().toString());
        n.put("cluster", cluster.name());
        n.put("group", r.group());
        n.put("group_state", r.groupState().displayName());
        n.put("topic", r.topic());
        n.put("partition", (long) r.partition());
        n.put("committed_offset", r.committedOffset());
        n.put("low_watermark", r.lowWatermark());
        n.put("high_watermark", r.highWatermark());
        n.put("lag", r.lag());
        n.put("lag_seconds", r.lagSeconds());
        n.put("sampled_offset", r.sampledOffset());
        n.put("sampled_timestamp", r.sampledTimestamp() == null ? null : r.sampledTimestamp().toString());
        n.put("member_host", r.member().host());
        n.put("consumer_id", r.member().consumerId());
        n.put("client_id", r.member().clientId());
        n.put("messages_lost", r.messagesLost());
        n.put("retention_margin", r.retentionMargin());
        n.put("lag_retention_ratio", r.lagRetentionRatio());
        n.put("compaction_detected", r.compactionDetected());
        n.put("data_loss_detected", r.dataLossDetected());
        n.put("group_type", r.groupType().label());
        n.put("last_stable_offset", r.lastStableOffset());
        n.put("lag_committed", r.lagCommitted());
        n.put("lag_source", r.lagSource().label());
        n.put("lag_isolation", r.lagIsolation().label());
        n.put("lag_if_reset", r.lagIfReset());
        // the trend of the row's topic, or partition at partition granularity; nulls without one
        Integer partition = cluster.granularity() == Granularity.PARTITION ? r.partition() : null;
        SeriesTrend t = cluster.trends().stream().filter(s -> !s.isGroup() && s.group().equals(r.group())
                && s.topic().equals(r.topic()) && Objects.equals(s.partition(), partition)).findFirst().orElse(null);
        n.put("status", t == null ? null : t.status());
        n.put("consume_rate", t == null ? null : t.consumeRate());
        n.put("produce_rate", t == null ? null : t.produceRate());
        if (t != null && t.etaSeconds() != null && t.etaSeconds().isInfinite()) {
            n.put("eta_seconds", "Infinity");
        } else {
            n.put("eta_seconds", t == null ? null : t.etaSeconds());
        }
        return n;
    }

    /**
     * The rollup of the LagScenario snapshot: audit 0 + 4 over two partitions, billing 6 + 0 over two, live 2 over
     * one, each group's largest time lag as core computed it, in the order the groups appear among the rows.
     */
    static void assertScenarioRollup(byte[] object, ClusterSnapshot cluster) {
        List<JsonNode> lines = gunzip(object);
        assertThat(lines).extracting(n -> n.get("group").asText() + " lag " + n.get("lag").asLong() + " rows "
                + n.get("rows").asLong()).containsExactly("audit lag 4 rows 2", "billing lag 6 rows 2", "live lag 2 rows 1");
        for (JsonNode line : lines) {
            List<String> names = new ArrayList<>();
            line.fieldNames().forEachRemaining(names::add);
            assertThat(names).isEqualTo(GroupRollup.FIELDS);
            assertThat(line.get("snapshot_time").asText()).isEqualTo(cluster.time().toString());
            Double expected = cluster.groups().stream().filter(g -> g.group().equals(line.get("group").asText()))
                    .findFirst().orElseThrow().maxLagSeconds();
            assertThat(line.get("max_lag_seconds").isNull() ? null : line.get("max_lag_seconds").asDouble())
                    .as("max_lag_seconds of %s", line.get("group")).isEqualTo(expected);
        }
    }
}
