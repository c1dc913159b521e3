package io.lagsnap.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Glue table and the BigQuery external table declare the history rows' columns, partitioned by cluster, dt and
 * hour. The row's fields are read from the sink API's RowJson (its Field enum) where it exists.
 */
class HistoryTablesTest {
    /** Defined by sink-api/src/main/java/io/lagsnap/sink/api/format/RowJson.java (enum Field), in this order. */
    static final Map<String, String> ROW = rowTypes();
    static final List<String> PARTITIONS = List.of("cluster", "dt", "hour");

    private static Path repo;
    private static TerraformChecks checks;

    static Map<String, String> rowTypes() {
        Map<String, String> t = new LinkedHashMap<>();
        for (String s : List.of("snapshot_time", "cluster", "group", "group_state", "topic")) {
            t.put(s, "string");
        }
        t.put("partition", "int");
        for (String s : List.of("committed_offset", "low_watermark", "high_watermark", "lag")) {
            t.put(s, "bigint");
        }
        t.put("lag_seconds", "double");
        t.put("sampled_offset", "bigint");
        for (String s : List.of("sampled_timestamp", "member_host", "consumer_id", "client_id")) {
            t.put(s, "string");
        }
        t.put("messages_lost", "bigint");
        t.put("retention_margin", "bigint");
        t.put("lag_retention_ratio", "double");
        t.put("compaction_detected", "boolean");
        t.put("data_loss_detected", "boolean");
        t.put("group_type", "string");
        t.put("last_stable_offset", "bigint");
        t.put("lag_committed", "bigint");
        t.put("lag_source", "string");
        t.put("lag_isolation", "string");
        t.put("lag_if_reset", "bigint");
        t.put("status", "string");
        for (String s : List.of("consume_rate", "produce_rate", "eta_seconds")) {
            t.put(s, "double");
        }
        return t;
    }

    @BeforeAll
    static void parse() {
        Path tf = HclTree.terraformDir();
        repo = tf.getParent();
        checks = new TerraformChecks(HclTree.load(tf));
    }

    private static List<String> columns(String dir) {
        List<String> names = new ArrayList<>();
        checks.locals(dir).get("history_columns").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static List<String> expectedColumns() {
        List<String> fields = new ArrayList<>(ROW.keySet());
        Path rowJson = repo.resolve("sink-api/src/main/java/io/lagsnap/sink/api/format/RowJson.java");
        if (Files.isRegularFile(rowJson)) {
            // FIELDS are the constants of RowJson's Field enum, lower-cased, in order
            Matcher m = Pattern.compile("enum Field \\{([^;]*);").matcher(TerraformChecks.read(rowJson));
            assertThat(m.find()).as("RowJson declares its fields").isTrue();
            fields = new ArrayList<>();
            Matcher q = Pattern.compile("[A-Z_]+").matcher(m.group(1));
            while (q.find()) {
                fields.add(q.group().toLowerCase(Locale.ROOT));
            }
            assertThat(fields).as("RowJson.FIELDS is the row schema this test knows the types of")
                    .containsExactlyElementsOf(ROW.keySet());
        }
        fields.remove("cluster");
        return fields;
    }

    @Test
    void glueTableDeclaresTheRowColumnsAndPartitions() {
        assertThat(columns("modules/aws-lambda")).containsExactlyElementsOf(expectedColumns());
        checks.locals("modules/aws-lambda").get("history_columns")
                .forEach(c -> assertThat(c.path("type").asText()).as(c.path("name").asText())
                        .isEqualTo(ROW.get(c.path("name").asText())));
        assertThat(gluePartitions()).containsExactly(Map.entry("cluster", "string"), Map.entry("dt", "string"),
                Map.entry("hour", "int"));
        String parameters = checks.typed("modules/aws-lambda", "resource").get("aws_glue_catalog_table.history")
                .path("parameters").asText();
        assertThat(parameters).contains("\"projection.enabled\"           = \"true\"")
                .contains("cluster=$${cluster}/dt=$${dt}/hour=$${hour}");
    }

    /** name -> type of the Glue table's partition keys, in order. */
    private static Map<String, String> gluePartitions() {
        Map<String, String> keys = new LinkedHashMap<>();
        checks.locals("modules/aws-lambda").get("history_partition_keys")
                .forEach(k -> keys.put(k.path("name").asText(), k.path("type").asText()));
        return keys;
    }

    /**
     * The Athena DDL that the docs show (sinks/object-store/ddl/athena.sql) and the Glue table are one definition:
     * same partition names and types (hour an int, so "hour >= 22" compares numbers in both), same projection.
     */
    @Test
    void athenaDdlAndGlueTableDeclareTheSameTypedPartitionsAndProjection() {
        String ddl = TerraformChecks.read(repo.resolve("sinks/object-store/ddl/athena.sql"));
        Matcher by = Pattern.compile("PARTITIONED BY \\(([^)]*)\\)").matcher(ddl);
        assertThat(by.find()).as("athena.sql has PARTITIONED BY").isTrue();
        Map<String, String> ddlPartitions = new LinkedHashMap<>();
        for (String column : by.group(1).split(",")) {
            String[] nameType = column.trim().split("\\s+");
            ddlPartitions.put(nameType[0], nameType[1]);
        }
        assertThat(gluePartitions()).containsExactlyEntriesOf(ddlPartitions);

        String parameters = checks.typed("modules/aws-lambda", "resource").get("aws_glue_catalog_table.history")
                .path("parameters").asText();
        Matcher property = Pattern.compile("'(projection\\.(?:dt|hour)\\.[a-z.]+)'\\s*=\\s*'([^']*)'").matcher(ddl);
        int compared = 0;
        while (property.find()) {
            String value = property.group(1).equals("projection.dt.range") ? "${var.glue_projection_start_date},NOW"
                    : property.group(2);
            assertThat(parameters).as(property.group(1))
                    .containsPattern("\"" + Pattern.quote(property.group(1)) + "\"\\s*=\\s*\"" + Pattern.quote(value) + "\"");
            compared++;
        }
        assertThat(compared).as("dt and hour projection properties of athena.sql").isEqualTo(8);
    }

    @Test
    void bigQueryTableDeclaresTheRowColumnsAndPartitions() {
        assertThat(columns("modules/gcp-cloud-function")).containsExactlyElementsOf(expectedColumns());
        Map<String, String> bq = Map.of("string", "STRING", "int", "INTEGER", "bigint", "INTEGER", "double",
                "FLOAT", "boolean", "BOOLEAN");
        checks.locals("modules/gcp-cloud-function").get("history_columns")
                .forEach(c -> assertThat(c.path("type").asText()).as(c.path("name").asText())
                        .isEqualTo(bq.get(ROW.get(c.path("name").asText()))));
        JsonNode table = checks.typed("modules/gcp-cloud-function", "resource").get("google_bigquery_table.history");
        String prefix = table.path("external_data_configuration").path(0).path("hive_partitioning_options").path(0)
                .path("source_uri_prefix").asText();
        assertThat(prefix).endsWith("/{cluster:STRING}/{dt:DATE}/{hour:INTEGER}");
    }

    @Test
    void sharedDdlFilesNameEveryColumn() {
        Path ddl = repo.resolve("sinks/object-store/ddl");
        if (!Files.isDirectory(ddl)) {
            return;
        }
        try (Stream<Path> files = Files.list(ddl)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = TerraformChecks.read(f);
                for (String column : ROW.keySet()) {
                    assertThat(Pattern.compile("\\b" + column + "\\b").matcher(text).find())
                            .as(f + " names the column " + column + " that the Terraform tables declare").isTrue();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
