package io.lagsnap.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.PushgatewayServer;
import io.lagsnap.testkit.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names as odd as Kafka allows, through every sink that writes names as text: a 249-character topic of every
 * allowed character ([a-zA-Z0-9._-]), and groups (any non-empty string) with quotes, backslashes, line breaks,
 * control characters, slashes, markup, spaces and characters outside the Basic Multilingual Plane. One run feeds the
 * JSON and Prometheus files, the table on stdout, the object store and the Pushgateway; each output must give every
 * name back exactly. The Prometheus text is read back by the real Pushgateway, as Prometheus would read it.
 */
class OddNamesTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final String LONG_TOPIC;
    private static final String DOTTED_TOPIC = "odd.dots_and-dashes";
    private static final List<String> GROUPS = List.of("odd with space", "odd\"quote", "odd'apostrophe",
            "odd\\backslash", "odd-trailing-backslash\\", "odd\\\"escaped-quote", "odd\nnewline", "odd\ttab",
            "odd\rreturn", "odd\u001b[31mred", "odd-ünïcødé-日本-\uD83D\uDE42", "odd/slash", "odd<&>", "odd{a=\"b\",c}",
            "odd#hash");

    static {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";
        LONG_TOPIC = allowed.repeat(4).substring(0, 249);
    }

    @TempDir
    static Path dir;

    private static PushgatewayServer gateway;
    private static RunReport report;
    private static String stdout;

    @BeforeAll
    static void runEverySink() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Scenario scenario = broker.scenario().topic(LONG_TOPIC, 1).topic(DOTTED_TOPIC, 1)
                .produce(LONG_TOPIC, 0, 20, i -> 1_000L).produce(DOTTED_TOPIC, 0, 20, i -> 1_000L);
        for (int i = 0; i < GROUPS.size(); i++) {
            scenario.commit(GROUPS.get(i), Map.of(new TopicPartition(LONG_TOPIC, 0), (long) i,
                    new TopicPartition(DOTTED_TOPIC, 0), (long) i));
        }
        gateway = PushgatewayServer.start();
        Files.createDirectories(dir.resolve("store"));
        String toml = """
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "odd"
                bootstrap_servers = "%s"
                group_whitelist = ["^odd"]
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "metrics"
                format = "prometheus"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "metrics-json"
                format = "metrics_json"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "page"
                format = "html"
                path = "%s"
                [[sinks]]
                type = "stdout"
                [[sinks]]
                type = "object_store"
                url = "file://%s"
                [[sinks]]
                type = "pushgateway"
                url = "%s"
                job = "odd-sink"
                """.formatted(broker.bootstrapServers(), dir.resolve("rows.ndjson"), dir.resolve("metrics.prom"),
                dir.resolve("metrics.json"), dir.resolve("page.html"), dir.resolve("store"), gateway.url());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            report = Runner.standard().run(new ConfigLoader(Map.<String, String>of()::get).parse(toml, "odd.toml"),
                    Deadline.after(Duration.ofSeconds(60)), Shard.ALL);
        } finally {
            System.setOut(original);
        }
        stdout = out.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopGateway() throws IOException {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Every (group, topic) the workload committed. */
    private static Set<List<String>> expectedPairs() {
        Set<List<String>> pairs = new HashSet<>();
        for (String g : GROUPS) {
            pairs.add(List.of(g, LONG_TOPIC));
            pairs.add(List.of(g, DOTTED_TOPIC));
        }
        return pairs;
    }

    @Test
    void everySinkDelivered() {
        assertThat(report.sinks()).extracting(SinkOutcome::type, SinkOutcome::delivered).containsExactly(
                org.assertj.core.groups.Tuple.tuple("file", true), org.assertj.core.groups.Tuple.tuple("file", true),
                org.assertj.core.groups.Tuple.tuple("file", true), org.assertj.core.groups.Tuple.tuple("file", true),
                org.assertj.core.groups.Tuple.tuple("stdout", true),
                org.assertj.core.groups.Tuple.tuple("object_store", true),
                org.assertj.core.groups.Tuple.tuple("pushgateway", true));
        assertThat(report.exitCode()).isZero();
    }

    @Test
    void jsonRowsGiveEveryNameBackExactly() throws IOException {
        assertThat(pairs(Files.readAllLines(dir.resolve("rows.ndjson")))).isEqualTo(expectedPairs());
    }

    @Test
    void objectStoreRowsGiveEveryNameBackExactly() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("store"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".ndjson.gz")).toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
                }
            }
        }
        assertThat(pairs(lines)).isEqualTo(expectedPairs());
    }

    @Test
    void thePrometheusFileParsesBackToEveryNameExactly() throws Exception {
        assertThat(gateway.put("/metrics/job/odd-file", Files.readString(dir.resolve("metrics.prom")))).isEqualTo(200);
        assertThat(seriesPairs("odd-file")).isEqualTo(expectedPairs());
    }

    @Test
    void theJsonMetricArrayGivesEveryNameBackExactly() throws IOException {
        Set<List<String>> pairs = new HashSet<>();
        for (JsonNode series : new ObjectMapper().readTree(dir.resolve("metrics.json").toFile())) {
            if (series.get("name").asText().equals("kafka_consumergroup_group_lag")) {
                pairs.add(List.of(series.get("labels").get("group").asText(),
                        series.get("labels").get("topic").asText()));
            }
        }
        assertThat(pairs).isEqualTo(expectedPairs());
    }

    /** The page shows names as text: markup and quotes arrive as character references, never as markup. */
    @Test
    void theStatusPageShowsNamesAsTextNeverAsMarkup() throws IOException {
        String page = Files.readString(dir.resolve("page.html"));
        assertThat(page).contains(">odd&lt;&amp;&gt;<", ">odd&#34;quote<", ">odd{a=&#34;b&#34;,c}<",
                        ">odd-ünïcødé-日本-\uD83D\uDE42<", LONG_TOPIC)
                .doesNotContain("odd<&>", "odd\"quote", "\u001b");
    }

    @Test
    void thePushgatewaySinkPushesEveryNameExactly() throws Exception {
        assertThat(seriesPairs("odd-sink")).isEqualTo(expectedPairs());
    }

    /**
     * One table row per line whatever the name: line breaks and other control characters are shown escaped, so no
     * name can split a row, forge one, or send escape sequences to the terminal.
     */
    @Test
    void theTableKeepsOneRowPerLineAndShowsControlCharactersEscaped() {
        List<String> lines = stdout.lines().toList();
        // "cluster odd: ..." then the header and one line per row
        assertThat(lines).hasSize(2 + 2 * GROUPS.size());
        assertThat(stdout).doesNotContain("\u001b").doesNotContain("\r").doesNotContain("\t");
        assertThat(lines.stream().filter(l -> l.contains(DOTTED_TOPIC))).hasSize(GROUPS.size())
                .anyMatch(l -> l.startsWith("  odd\\nnewline "))
                .anyMatch(l -> l.startsWith("  odd\\u001b[31mred "))
                .anyMatch(l -> l.startsWith("  odd-ünïcødé-日本-\uD83D\uDE42 "))
                .anyMatch(l -> l.startsWith("  odd\"quote "));
    }

    private static Set<List<String>> pairs(List<String> ndjson) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<List<String>> pairs = new HashSet<>();
        for (String line : ndjson) {
            JsonNode row = json.readTree(line);
            pairs.add(List.of(row.get("group").asText(), row.get("topic").asText()));
        }
        return pairs;
    }

    /** (group, topic) of every kafka_consumergroup_group_lag series the gateway holds for one job. */
    private static Set<List<String>> seriesPairs(String job) throws Exception {
        Set<List<String>> pairs = new HashSet<>();
        for (JsonNode pushed : gateway.metrics()) {
            // the sink's run group (lagsnap_sink_*, lagsnap_run_*) carries no lag series
            if (job.equals(pushed.get("labels").get("job").asText()) && pushed.has("kafka_consumergroup_group_lag")) {
                for (JsonNode series : pushed.get("kafka_consumergroup_group_lag").get("metrics")) {
                    pairs.add(List.of(series.get("labels").get("group").asText(),
                            series.get("labels").get("topic").asText()));
                }
            }
        }
        return pairs;
    }
}
