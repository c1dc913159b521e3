package io.lagsnap.core.trends;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.Exposition;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on a real broker that keep their trend window in a {@code [run] state} directory: each run folds its
 * snapshot into the state the run before left and reports rates, time to catch up and status.
 */
class TrendRunTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    private RunReport run() {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [run]
                state = "%s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^tr-"]
                [[sinks]]
                type = "file"
                format = "prometheus"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                """.formatted(dir.resolve("state").toUri(), KAFKA.broker().bootstrapServers(),
                dir.resolve("lag.prom"), dir.resolve("rows.ndjson")), "trend.toml");
        return Runner.standard().run(config, Deadline.after(Duration.ofSeconds(30)), Shard.ALL);
    }

    /** The value of {@code name} for {@code group} (null: any) in the last run's exposition, or null when absent. */
    private Double value(String name, String group) throws Exception {
        return Exposition.find(dir.resolve("lag.prom"), name, group).map(Exposition.Sample::value).orElse(null);
    }

    private String status(String group) throws Exception {
        return Exposition.find(dir.resolve("lag.prom"), "kafka_consumergroup_group_status", group)
                .map(s -> s.label("status")).orElse(null);
    }

    /** The last run's NDJSON row of {@code group} (one partition each here). */
    private JsonNode row(String group) throws Exception {
        JsonNode found = null;
        for (String line : Files.readAllLines(dir.resolve("rows.ndjson"))) {
            JsonNode row = new ObjectMapper().readTree(line);
            if (row.get("group").asText().equals(group)) {
                found = row;
            }
        }
        return found;
    }

    /** The snapshot times of the state's points for {@code group}, oldest first. */
    private List<Instant> pointTimes(String group) throws Exception {
        byte[] bytes = Files.readAllBytes(dir.resolve("state/cluster=local/trend.json.gz"));
        TrendState state = ((TrendCodec.Loaded) TrendCodec.decode(bytes, "local")).state();
        return state.series().get(SeriesKey.ofGroup(group)).points().stream().map(TrendPoint::time).toList();
    }

    @Test
    void aGroupCatchingUpAndAStalledOneAcrossRuns() throws Exception {
        Scenario s = KAFKA.broker().scenario();
        s.topic("tr-t", 1).produce("tr-t", 0, 100, i -> 1_700_000_000_000L + i)
                .commit("tr-catching", "tr-t", 0, 0L).commit("tr-stalled", "tr-t", 0, 10L);

        RunReport first = run();
        assertThat(first.exitCode()).as(first.toJson()).isZero();
        // one point: a status, but no window for rates or an ETA yet
        assertThat(value("kafka_consumergroup_group_consume_rate", "tr-catching")).isNull();
        assertThat(value("kafka_consumergroup_group_catchup_eta_seconds", "tr-catching")).isNull();
        assertThat(status("tr-catching")).isNotNull();
        // the row carries the same trend at topic granularity: a status, null rates and ETA without a window
        assertThat(row("tr-catching").get("status").asText()).isEqualTo(status("tr-catching"));
        assertThat(List.of("consume_rate", "produce_rate", "eta_seconds"))
                .allSatisfy(f -> assertThat(row("tr-catching").get(f).isNull()).as(f).isTrue());

        Thread.sleep(1_100);
        s.produce("tr-t", 0, 20, i -> 1_700_000_100_000L + i).commit("tr-catching", "tr-t", 0, 60L);
        RunReport second = run();
        assertThat(second.exitCode()).as(second.toJson()).isZero();

        List<Instant> times = pointTimes("tr-catching");
        assertThat(times).hasSize(2);
        double seconds = Duration.between(times.get(0), times.get(1)).toNanos() / 1e9;
        // committed 0 -> 60 and the log 100 -> 120 in that time; lag 60 left, gaining 40 per interval
        assertThat(value("kafka_consumergroup_group_consume_rate", "tr-catching"))
                .isCloseTo(60 / seconds, within(60 / seconds * 0.05));
        assertThat(value("kafka_consumergroup_group_produce_rate", "tr-catching"))
                .isCloseTo(20 / seconds, within(20 / seconds * 0.05));
        assertThat(value("kafka_consumergroup_group_catchup_eta_seconds", "tr-catching"))
                .isCloseTo(60 / (40 / seconds), within(60 / (40 / seconds) * 0.05));
        assertThat(status("tr-catching")).isEqualTo("OK");
        // commits that do not move under a growing log, no members: stalled (STOP after 15 minutes)
        assertThat(value("kafka_consumergroup_group_consume_rate", "tr-stalled")).isZero();
        assertThat(status("tr-stalled")).isEqualTo("STALL");
        assertThat(value("kafka_consumergroup_group_status", "tr-stalled")).isEqualTo(3.0);
        assertThat(value("lagsnap_trend_state_resets_total", null)).isNull();

        // one topic of one partition: the row's topic trend has the group's numbers, written as JSON numbers
        JsonNode catching = row("tr-catching");
        assertThat(catching.get("status").asText()).isEqualTo("OK");
        assertThat(catching.get("consume_rate").isDouble()).isTrue();
        assertThat(catching.get("consume_rate").asDouble())
                .isEqualTo(value("kafka_consumergroup_group_consume_rate", "tr-catching"));
        assertThat(catching.get("produce_rate").asDouble())
                .isEqualTo(value("kafka_consumergroup_group_produce_rate", "tr-catching"));
        assertThat(catching.get("eta_seconds").asDouble())
                .isEqualTo(value("kafka_consumergroup_group_catchup_eta_seconds", "tr-catching"));
        JsonNode stalled = row("tr-stalled");
        assertThat(stalled.get("status").asText()).isEqualTo("STALL");
        assertThat(stalled.get("consume_rate").asDouble()).isZero();
        // not gaining: +Inf, written as the string "Infinity" (JSON has no infinite number)
        assertThat(stalled.get("eta_seconds").isTextual()).isTrue();
        assertThat(stalled.get("eta_seconds").asText()).isEqualTo("Infinity");
    }

    @Test
    void aCorruptStateYieldsACleanNewOneAndTheRunSucceeds() throws Exception {
        KAFKA.broker().scenario().topic("tr-c", 1).produce("tr-c", 0, 5, i -> 1_700_000_000_000L)
                .commit("tr-corrupt", "tr-c", 0, 1L);
        Path file = dir.resolve("state/cluster=local/trend.json.gz");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not gzip at all");

        RunReport report = run();

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        assertThat(Files.readAllLines(dir.resolve("lag.prom")))
                .contains("lagsnap_trend_state_resets_total{cluster_name=\"local\",reason=\"corrupt\"} 1.0");
        assertThat(TrendCodec.decode(Files.readAllBytes(file), "local")).isInstanceOf(TrendCodec.Loaded.class);
        assertThat(status("tr-corrupt")).isNotNull();
    }
}
