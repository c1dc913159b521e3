package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.format.RowJson;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.SeriesTrend;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped DDL (ddl/athena.sql, ddl/bigquery.sql) declares exactly the columns the sink writes, with types the
 * written values fit, over exactly the key layout the sink uses. The rows come from a real snapshot written by the
 * sink; the partition values from the key it wrote them to.
 */
class TableDdlTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    /** The table contract shared with the Terraform module (Glue table), in Athena/Hive types. */
    private static final Map<String, String> CONTRACT = contract();
    private static final Map<String, String> BIGQUERY_TYPE = Map.of(
            "string", "STRING", "int", "INT64", "bigint", "INT64", "double", "FLOAT64", "boolean", "BOOL");

    @TempDir
    static Path dir;
    private static String key;
    private static List<JsonNode> rows;
    private static TableDdl athena;
    private static TableDdl bigquery;

    @BeforeAll
    static void writeARealSnapshot() throws Exception {
        LagScenario.create(KAFKA.broker());
        Snapshot collected = LagScenario.snapshot(KAFKA.broker(), "prod", "0a1b2c3d4e5f");
        ClusterSnapshot cluster = withTrends(collected.clusters().get(0));
        Snapshot snapshot = new Snapshot(collected.runId(), collected.startedAt(), collected.shard(), List.of(cluster));
        StoreUrl url = StoreUrl.parse(dir.toUri().toString(), "test.url");
        try (ObjectStoreSink sink = new ObjectStoreSink(url, false, ObjectStoreSink.NO_PAGE,
                deadline -> new LocalStore(dir))) {
            assertThat(sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(30))).delivered()).isTrue();
        }
        key = HistoryLayout.historyKey("", "prod", cluster.time(), snapshot.runId());
        rows = Rows.gunzip(Files.readAllBytes(dir.resolve(key)));
        athena = TableDdl.read(Path.of("ddl/athena.sql"));
        bigquery = TableDdl.read(Path.of("ddl/bigquery.sql"));
    }

    /**
     * The cluster as a run with a trend state sees it: a trend per group-topic (or partition) of its rows, the
     * first gaining, the others not (an ETA of +Inf), so every trend column has values.
     */
    private static ClusterSnapshot withTrends(ClusterSnapshot c) {
        boolean partitions = c.granularity() == Granularity.PARTITION;
        Map<List<Object>, SeriesTrend> trends = new LinkedHashMap<>();
        for (PartitionLag r : c.rows()) {
            trends.computeIfAbsent(List.of(r.group(), r.topic(), partitions ? r.partition() : -1), k ->
                    SeriesTrend.builder(r.group()).topic(r.topic()).partition(partitions ? r.partition() : null)
                            .status(trends.isEmpty() ? "OK" : "STALL", trends.isEmpty() ? 0 : 3)
                            .rates(2.5, trends.isEmpty() ? 0.5 : 2.5, trends.isEmpty() ? 12.0
                                    : Double.POSITIVE_INFINITY).build());
        }
        return c.toBuilder().trends(List.copyOf(trends.values())).build();
    }

    @Test
    void athenaDeclaresTheContractColumnsWithClusterAsAPartitionFromTheKey() {
        Map<String, String> expected = new LinkedHashMap<>(CONTRACT);
        expected.remove("cluster");
        assertThat(unquoted(athena.columns())).containsExactlyEntriesOf(expected);
        assertThat(athena.partitions()).containsExactly(Map.entry("cluster", "string"), Map.entry("dt", "string"),
                Map.entry("hour", "int"));
    }

    @Test
    void bigQueryDeclaresTheSameColumnsInItsTypes() {
        Map<String, String> expected = new LinkedHashMap<>();
        CONTRACT.forEach((name, type) -> expected.put(name, BIGQUERY_TYPE.get(type)));
        expected.remove("cluster");
        assertThat(unquoted(bigquery.columns())).containsExactlyEntriesOf(expected);
        assertThat(bigquery.partitions()).containsExactly(Map.entry("cluster", "STRING"), Map.entry("dt", "DATE"),
                Map.entry("hour", "INT64"));
    }

    @Test
    void theContractIsExactlyTheRowSchemaAndNoColumnIsAlsoAPartition() {
        assertThat(CONTRACT.keySet()).containsExactlyElementsOf(RowJson.FIELDS);
        for (TableDdl ddl : List.of(athena, bigquery)) {
            Set<String> all = new HashSet<>(unquoted(ddl.columns()).keySet());
            all.add("cluster");
            assertThat(all).containsExactlyInAnyOrderElementsOf(RowJson.FIELDS);
            assertThat(unquoted(ddl.columns())).doesNotContainKeys("cluster", "dt", "hour");
        }
    }

    @Test
    void reservedWordsAreQuoted() {
        for (TableDdl ddl : List.of(athena, bigquery)) {
            assertThat(ddl.columns()).containsKeys("`group`", "`partition`");
        }
    }

    @Test
    void everyWrittenValueFitsItsDeclaredType() {
        assertThat(rows).hasSize(5);
        for (JsonNode row : rows) {
            CONTRACT.forEach((name, type) -> {
                JsonNode value = row.get(name);
                assertThat(value).as("%s in %s", name, row).isNotNull();
                if (!value.isNull()) {
                    assertThat(fits(value, type)).as("%s = %s as %s", name, value, type).isTrue();
                }
            });
        }
        // each column is non-null somewhere, so every type above was really checked; the scenario has no group
        // that never committed, so lag_if_reset (bigint, like lag) is null in every row
        for (String name : CONTRACT.keySet().stream().filter(n -> !n.equals("lag_if_reset")).toList()) {
            assertThat(rows).as(name).anySatisfy(row -> assertThat(row.get(name).isNull()).isFalse());
        }
    }

    @Test
    void theKeyIsTheLayoutBothTablesRead() {
        Matcher m = Pattern.compile("cluster=([^/]+)/dt=([^/]+)/hour=([^/]+)/[^/]+\\.ndjson\\.gz").matcher(key);
        assertThat(m.matches()).as(key).isTrue();
        assertThat(m.group(1)).isEqualTo(rows.get(0).get("cluster").asText());
        assertThat(LocalDate.parse(m.group(2))).isNotNull();
        assertThat(m.group(3)).matches("\\d\\d");
        assertThat(Integer.parseInt(m.group(3))).isBetween(0, 23);

        // Athena: the projection template, filled with the partition values, is the directory of the object
        String location = athena.option("LOCATION");
        String template = athena.option("storage.location.template");
        assertThat(template).isEqualTo(location + "cluster=${cluster}/dt=${dt}/hour=${hour}/");
        assertThat(template.replace("${cluster}", m.group(1)).replace("${dt}", m.group(2))
                .replace("${hour}", m.group(3))).isEqualTo(location + key.substring(0, key.lastIndexOf('/') + 1));

        // BigQuery: the uri pattern under the hive prefix takes history objects and leaves latest.json out
        String prefix = bigquery.option("hive_partition_uri_prefix");
        String uris = bigquery.option("uris");
        assertThat(uris).isEqualTo(prefix + "/*.ndjson.gz");
        Pattern glob = Pattern.compile(Pattern.quote(prefix + "/") + ".*" + Pattern.quote(".ndjson.gz"));
        assertThat(glob.matcher(prefix + "/" + key).matches()).isTrue();
        assertThat(glob.matcher(prefix + "/cluster=prod/latest.json").matches()).isFalse();
    }

    private static boolean fits(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "int" -> value.canConvertToInt() && value.isIntegralNumber();
            case "bigint" -> value.isIntegralNumber() && value.canConvertToLong();
            // +Inf (an ETA when not gaining) is written as the string "Infinity", JSON having no such number
            case "double" -> value.isNumber() || value.isTextual() && value.asText().equals("Infinity");
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("no check for type " + type);
        };
    }

    private static Map<String, String> unquoted(Map<String, String> columns) {
        Map<String, String> out = new LinkedHashMap<>();
        columns.forEach((name, type) -> out.put(TableDdl.unquoted(name), type));
        return out;
    }

    private static Map<String, String> contract() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("snapshot_time", "string");
        c.put("cluster", "string");
        c.put("group", "string");
        c.put("group_state", "string");
        c.put("topic", "string");
        c.put("partition", "int");
        c.put("committed_offset", "bigint");
        c.put("low_watermark", "bigint");
        c.put("high_watermark", "bigint");
        c.put("lag", "bigint");
        c.put("lag_seconds", "double");
        c.put("sampled_offset", "bigint");
        c.put("sampled_timestamp", "string");
        c.put("member_host", "string");
        c.put("consumer_id", "string");
        c.put("client_id", "string");
        c.put("messages_lost", "bigint");
        c.put("retention_margin", "bigint");
        c.put("lag_retention_ratio", "double");
        c.put("compaction_detected", "boolean");
        c.put("data_loss_detected", "boolean");
        c.put("group_type", "string");
        c.put("last_stable_offset", "bigint");
        c.put("lag_committed", "bigint");
        c.put("lag_source", "string");
        c.put("lag_isolation", "string");
        c.put("lag_if_reset", "bigint");
        c.put("status", "string");
        c.put("consume_rate", "double");
        c.put("produce_rate", "double");
        c.put("eta_seconds", "double");
        return c;
    }
}
