package io.lagsnap.sink.objectstore;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.PartitionLag;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's per-group rollup, written beside its row object: one NDJSON line per group with the answer
 * {@code lagsnap history} gives, so a week of history is 1 row per group and run instead of one per partition.
 * Fields: {@code snapshot_time}, {@code group}, {@code lag} (summed over the group's rows, null when none has a lag),
 * {@code max_lag_seconds} (null when no row had a time lag) and {@code rows} (how many rows were folded).
 */
public final class GroupRollup {
    /** The rollup's fields, in order: the history reader names them in its explicit schema. */
    public static final List<String> FIELDS = List.of("snapshot_time", "group", "lag", "max_lag_seconds", "rows");

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private GroupRollup() {
    }

    /** One group's totals; {@code lag} and {@code maxLagSeconds} are null when no row had one. */
    record Total(String group, Long lag, Double maxLagSeconds, int rows) {
        Total plus(PartitionLag row) {
            Long sum = lag;
            if (row.lag() != null) {
                sum = lag == null ? row.lag() : Long.valueOf(lag + row.lag());
            }
            Double max = maxLagSeconds;
            if (row.lagSeconds() != null && (max == null || row.lagSeconds() > max)) {
                max = row.lagSeconds();
            }
            return new Total(group, sum, max, rows + 1);
        }
    }

    /** The totals per group, in the order the groups first appear among the rows. */
    static List<Total> totals(List<PartitionLag> rows) {
        Map<String, Total> byGroup = new LinkedHashMap<>();
        for (PartitionLag row : rows) {
            byGroup.merge(row.group(), new Total(row.group(), null, null, 0).plus(row), (a, b) -> a.plus(row));
        }
        return List.copyOf(byGroup.values());
    }

    static void write(ClusterSnapshot cluster, OutputStream out) throws IOException {
        String time = cluster.time().toString();
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setRootValueSeparator(null);
            for (Total t : totals(cluster.rows())) {
                g.writeStartObject();
                g.writeStringField("snapshot_time", time);
                g.writeStringField("group", t.group());
                if (t.lag() == null) {
                    g.writeNullField("lag");
                } else {
                    g.writeNumberField("lag", t.lag());
                }
                if (t.maxLagSeconds() == null) {
                    g.writeNullField("max_lag_seconds");
                } else {
                    g.writeNumberField("max_lag_seconds", t.maxLagSeconds());
                }
                g.writeNumberField("rows", t.rows());
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
    }
}
