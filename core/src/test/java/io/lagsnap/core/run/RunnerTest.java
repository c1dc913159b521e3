package io.lagsnap.core.run;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.ClusterOutcome;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.format.RowJson;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs: collection, the snapshot, the built-in sinks and the report's exit code. */
class RunnerTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunReport run(LagsnapConfig config) {
        return Runner.standard().run(config, Deadline.after(Duration.ofSeconds(40)), Shard.ALL);
    }

    private String sinks(String... formats) {
        StringBuilder b = new StringBuilder();
        for (String f : formats) {
            b.append("[[sinks]]\ntype = \"file\"\nname = \"").append(f).append("\"\nformat = \"").append(f)
                    .append("\"\npath = \"").append(dir.resolve("out." + f)).append("\"\n");
        }
        return b.toString();
    }

    @Test
    void anUnreachableClusterReportsUpZeroWhileTheOtherIsDelivered() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("u-t", 1).produce("u-t", 0, 10, i -> 1_000L).commit("u-g", "u-t", 0, 4L);
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [exporter]
                granularity = "partition"
                [exporter.performance]
                kafka_timeout = "2s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^u-"]
                [[clusters]]
                name = "down"
                bootstrap_servers = "127.0.0.1:1"
                %s
                """.formatted(broker.bootstrapServers(), sinks("prometheus")), "test.toml");

        RunReport report = run(config);

        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_PARTIAL);
        assertThat(report.clusters()).extracting(ClusterOutcome::name, ClusterOutcome::up)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("local", true),
                        org.assertj.core.groups.Tuple.tuple("down", false));
        assertThat(report.clusters().get(1).error()).startsWith("cannot use the cluster within the ")
                .endsWith(" s connect budget: 127.0.0.1:1: connection refused (nothing listens on port 1)");
        Path written = dir.resolve("out.prometheus");
        // the size after the run's own metrics were appended: what the file really holds
        assertThat(report.sinks()).singleElement().satisfies(s -> assertThat(s.detail())
                .isEqualTo("wrote prometheus to " + written + " (" + Files.size(written) + " bytes)"));
        assertThat(Files.readString(written)).contains("lagsnap_run_exit_code");
        List<String> text = Files.readAllLines(written);
        assertThat(text).contains(
                "kafka_lag_exporter_up{cluster_name=\"local\"} 1.0",
                "kafka_lag_exporter_up{cluster_name=\"down\"} 0.0",
                // client_java writes labels sorted by name
                "kafka_consumergroup_group_lag{client_id=\"\",cluster_name=\"local\",consumer_id=\"\","
                        + "group=\"u-g\",member_host=\"\",partition=\"0\",topic=\"u-t\"} 6.0");
        assertThat(report.toJsonTree().get("exit_code").asInt()).isEqualTo(1);
    }

    @Test
    void oddGroupNamesAreEscapedInPrometheusTextAndRoundTripInJson() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        List<String> names = List.of("o-with space", "o-quo\"te", "o-ünïcødé-日本", "o-a/b\\c", "o-new\nline");
        var s = broker.scenario().topic("o-t", 1).produce("o-t", 0, 10, i -> 1_000L);
        for (int i = 0; i < names.size(); i++) {
            s.commit(names.get(i), "o-t", 0, i);
        }
        RunReport report = run(config(broker.bootstrapServers(), "^o-", sinks("json", "prometheus")));
        assertThat(report.exitCode()).isZero();

        List<String> text = Files.readAllLines(dir.resolve("out.prometheus"));
        assertThat(text).contains(
                "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",group=\"o-with space\"} 10.0",
                "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",group=\"o-quo\\\"te\"} 9.0",
                "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",group=\"o-ünïcødé-日本\"} 8.0",
                "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",group=\"o-a/b\\\\c\"} 7.0",
                "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",group=\"o-new\\nline\"} 6.0");

        // no staging file is left behind once the run's metrics were appended
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("out.json", "out.prometheus");
        }
        // readable by others, like any written file (a textfile collector or web server reads it)
        assertThat(Files.getPosixFilePermissions(dir.resolve("out.json")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        List<String> groups = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out.json"))) {
            JsonNode row = JSON.readTree(line);
            assertThat(row.properties()).extracting(Map.Entry::getKey).containsExactlyElementsOf(RowJson.FIELDS);
            groups.add(row.get("group").asText());
        }
        assertThat(groups).containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void aFailingSinkNeverStopsTheOthersAndAllFailingMeansExitThree() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("s-t", 1).produce("s-t", 0, 3, i -> 1_000L).commit("s-g", "s-t", 0, 1L);
        Files.createDirectories(dir.resolve("blocked"));
        String broken = "[[sinks]]\ntype = \"file\"\nname = \"broken\"\npath = \"" + dir.resolve("blocked")
                + "\"\n";

        RunReport partly = run(config(broker.bootstrapServers(), "^s-", broken + sinks("json")));
        assertThat(partly.exitCode()).isEqualTo(RunReport.EXIT_PARTIAL);
        assertThat(partly.sinks()).extracting(SinkOutcome::name, SinkOutcome::delivered).containsExactly(
                org.assertj.core.groups.Tuple.tuple("broken", false), org.assertj.core.groups.Tuple.tuple("json", true));
        assertThat(partly.sinks().get(0).detail()).contains(dir.resolve("blocked").toString());
        assertThat(Files.readAllLines(dir.resolve("out.json"))).hasSize(1);

        RunReport nothing = run(config(broker.bootstrapServers(), "^s-", broken));
        assertThat(nothing.exitCode()).isEqualTo(RunReport.EXIT_NOTHING_DELIVERED);
    }

    @Test
    void anUnknownSinkTypeIsAConfigErrorListingTheKnownTypesBeforeAnyConnection() {
        LagsnapConfig config = config("127.0.0.1:1", ".*", "[[sinks]]\ntype = \"pushgatway\"\n");
        assertThatThrownBy(() -> run(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml:10: sinks[0].type: unknown sink type \"pushgatway\" (known types: ")
                .hasMessageContaining("file")
                .hasMessageContaining("stdout");
    }

    /** A sink that fails to deliver and then to publish the run's metrics is one warning, not two. */
    @Test
    void aSinkThatFailsTwiceIsLoggedOnce() {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^none-"]
                [[sinks]]
                type = "test-report-fails"
                name = "twice"
                fail_delivery = true
                """.formatted(KAFKA.broker().bootstrapServers()), "test.toml");
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        RunReport report;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            report = run(config);
        } finally {
            System.setErr(stderr);
        }

        assertThat(report.sinks()).singleElement().satisfies(s -> assertThat(s.detail())
                .isEqualTo("store refused; run report not published: IOException: report store unreachable"));
        assertThat(captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("sink twice (test-report-fails) failed"))).hasSize(1);
    }
}
