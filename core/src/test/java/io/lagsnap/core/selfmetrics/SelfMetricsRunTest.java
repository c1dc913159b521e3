package io.lagsnap.core.selfmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.ClusterOutcome;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.SamplingStats;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.DemoWorkload;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs on a real broker: the self-metrics reach the sinks beside the lag metrics, and the run's own metrics
 * (sink outcomes, run duration) reach the sinks that publish the run report.
 */
class SelfMetricsRunTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(DemoWorkload.BROKER);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() {
        DemoWorkload.buildWithMonitoringCases(KAFKA.broker(), System.currentTimeMillis());
    }

    private RunReport run(String sinks) {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                [clusters.labels]
                env = "test"
                %s
                """.formatted(KAFKA.broker().bootstrapServers(), sinks), "test.toml");
        return Runner.standard().run(config, Deadline.after(Duration.ofSeconds(60)), Shard.ALL);
    }

    private String fileSink(String name, String format) {
        return "[[sinks]]\ntype = \"file\"\nname = \"" + name + "\"\nformat = \"" + format + "\"\npath = \""
                + dir.resolve(name) + "\"\n";
    }

    @Test
    void everySinkCarriesTheClusterSelfMetricsAndTheMetricSinksTheRunReport() throws Exception {
        Files.createDirectories(dir.resolve("broken"));
        Instant before = Instant.now();
        RunReport report = run(fileSink("prom", "prometheus") + fileSink("metrics", "metrics_json")
                + fileSink("broken", "prometheus") + "[[sinks]]\ntype = \"test-report-fails\"\nname = \"flaky\"\n");

        // the broken sink failed to deliver; the flaky one delivered but could not publish the report
        assertThat(report.sinks()).extracting(SinkOutcome::name, SinkOutcome::delivered).containsExactly(
                org.assertj.core.groups.Tuple.tuple("prom", true), org.assertj.core.groups.Tuple.tuple("metrics", true),
                org.assertj.core.groups.Tuple.tuple("broken", false),
                org.assertj.core.groups.Tuple.tuple("flaky", false));
        assertThat(report.sinks().get(3).detail()).isEqualTo(
                "delivered on the second attempt; run report not published: IOException: report store unreachable");
        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_PARTIAL);

        Map<String, Double> m = series(dir.resolve("metrics"));
        ClusterOutcome cluster = report.clusters().get(0);

        // per cluster: one gauge per phase, with the report's own timing
        assertThat(cluster.phases().keySet()).containsExactly(Phase.LIST, Phase.DESCRIBE, Phase.OFFSETS,
                Phase.WATERMARKS, Phase.CONFIGS, Phase.SAMPLING);
        cluster.phases().forEach((phase, took) -> assertThat(m.get(local("lagsnap_phase_duration_seconds",
                "phase=" + phase.label()))).as(phase.label()).isEqualTo(took.toNanos() / 1e9));
        // the one failed item: the denied topic's configs
        assertThat(cluster.errors()).singleElement().satisfies(e -> {
            assertThat(e.phase()).isEqualTo(Phase.CONFIGS);
            assertThat(e.kind()).isEqualTo(ErrorKind.AUTHORIZATION);
            assertThat(e.item()).isEqualTo("vault");
        });
        assertThat(m).containsEntry(local("lagsnap_collection_errors_total", "phase=configs,kind=authorization"), 1.0);
        // at least the six batched calls: list, describe, offsets, two listOffsets, configs
        assertThat(cluster.adminRequests()).isGreaterThanOrEqualTo(6);
        assertThat(m).containsEntry(local("lagsnap_admin_requests_total"), (double) cluster.adminRequests());
        SamplingStats sampling = cluster.sampling();
        assertThat(sampling.sampled()).isPositive();
        assertThat(m).containsEntry(local("lagsnap_sampling_requested_total"), (double) sampling.requested())
                .containsEntry(local("lagsnap_sampling_sampled_total"), (double) sampling.sampled())
                .containsEntry(local("lagsnap_sampling_missed_total"), (double) sampling.missed())
                .containsEntry(local("lagsnap_sampling_clock_skewed_total"), (double) sampling.clockSkewed())
                .containsEntry(local("lagsnap_sampling_fetch_requests_total"),
                        (double) sampling.fetchRequests())
                .containsEntry(local("lagsnap_sampling_fetched_bytes_total"),
                        (double) sampling.bytesFetched());

        // per sink: outcome, time and last success, as the delivery left them
        for (SinkOutcome s : report.sinks()) {
            String labels = "{sink=" + s.name() + ",sink_type=" + s.type() + "}";
            boolean delivered = !s.name().equals("broken");
            assertThat(m.get("lagsnap_sink_delivered" + labels)).as(s.name()).isEqualTo(delivered ? 1.0 : 0.0);
            assertThat(m.get("lagsnap_sink_delivery_duration_seconds" + labels)).as(s.name())
                    .isEqualTo(s.duration().toNanos() / 1e9);
            if (delivered) {
                assertThat(m.get("lagsnap_sink_last_success_timestamp_seconds" + labels)).as(s.name())
                        .isBetween(before.toEpochMilli() / 1000.0, Instant.now().toEpochMilli() / 1000.0);
            } else {
                assertThat(m).doesNotContainKey("lagsnap_sink_last_success_timestamp_seconds" + labels);
            }
        }
        // what the flaky sink metered through its SinkContext
        String flaky = "{sink=flaky,sink_type=test-report-fails}";
        assertThat(m).containsEntry("lagsnap_sink_requests_total" + flaky, 2.0)
                .containsEntry("lagsnap_sink_failed_requests_total" + flaky, 1.0)
                .containsEntry("lagsnap_sink_retries_total" + flaky, 1.0)
                .containsEntry("lagsnap_sink_request_duration_seconds_total" + flaky, 0.3)
                .containsEntry("lagsnap_sink_request_duration_seconds_min" + flaky, 0.1)
                .containsEntry("lagsnap_sink_request_duration_seconds_max" + flaky, 0.2);
        // the run: partial, so no success timestamp
        assertThat(m).containsEntry("lagsnap_run_exit_code{}", 1.0)
                .doesNotContainKey("lagsnap_run_last_success_timestamp_seconds{}");
        assertThat(m.get("lagsnap_run_duration_seconds{}"))
                .isBetween(cluster.duration().toNanos() / 1e9, report.duration().toNanos() / 1e9);
        assertThat(m.get("lagsnap_run_deadline_remaining_seconds{}")).isBetween(1.0, 60.0);

        // Prometheus text carries the same series, with client_java's sorted labels
        List<String> text = Files.readAllLines(dir.resolve("prom"));
        assertThat(text).contains(
                "lagsnap_collection_errors_total{cluster_name=\"local\",env=\"test\",kind=\"authorization\","
                        + "phase=\"configs\"} 1.0",
                "lagsnap_sink_delivered{sink=\"broken\",sink_type=\"file\"} 0.0",
                "lagsnap_sink_requests_total{sink=\"flaky\",sink_type=\"test-report-fails\"} 2.0",
                "lagsnap_run_exit_code 1.0");
    }

    @Test
    void aRunThatDeliversEverywhereHasALastSuccessTimestamp() throws Exception {
        Instant before = Instant.now();
        RunReport report = run(fileSink("metrics", "metrics_json") + fileSink("rows", "json"));
        Instant after = Instant.now();

        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_OK);
        Map<String, Double> m = series(dir.resolve("metrics"));
        assertThat(m).containsEntry("lagsnap_run_exit_code{}", 0.0);
        assertThat(m.get("lagsnap_run_last_success_timestamp_seconds{}"))
                .isBetween(before.toEpochMilli() / 1000.0, after.toEpochMilli() / 1000.0);
        // the NDJSON rows keep their schema: the run report is not written into them
        assertThat(Files.readAllLines(dir.resolve("rows"))).allSatisfy(line ->
                assertThat(JSON.readTree(line).has("lag")).isTrue());
    }

    /** A series of cluster "local": its own labels come between cluster_name and the custom labels. */
    private static String local(String name, String... own) {
        return name + "{cluster_name=local," + (own.length == 0 ? "" : own[0] + ",") + "env=test}";
    }

    /** "name{label=value,...}" → value, labels in the order lagsnap wrote them, from the JSON metric array. */
    private static Map<String, Double> series(Path metricJson) throws Exception {
        Map<String, Double> out = new TreeMap<>();
        for (JsonNode n : JSON.readTree(metricJson.toFile())) {
            StringBuilder key = new StringBuilder(n.get("name").asText()).append('{');
            n.get("labels").properties().forEach(e -> key.append(key.charAt(key.length() - 1) == '{' ? "" : ",")
                    .append(e.getKey()).append('=').append(e.getValue().asText()));
            out.put(key.append('}').toString(), n.get("value").asDouble());
        }
        return out;
    }
}
