package io.lagsnap.sink.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.Promtool;
import io.lagsnap.testkit.PushgatewayServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real runs (in-process broker, the real Runner) pushing to the real Pushgateway, checked by scraping it. */
class PushgatewaySinkTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static PushgatewayServer gateway;

    @TempDir
    Path dir;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = PushgatewayServer.start();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void emptyGateway() throws Exception {
        gateway.wipe();
    }

    static RunReport run(String toml, Shard shard) {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(toml, "test.toml");
        return Runner.standard().run(config, Deadline.after(Duration.ofSeconds(30)), shard);
    }

    static String cluster(String name, String bootstrap, String groupRegex) {
        return """
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "%s"
                bootstrap_servers = "%s"
                group_whitelist = ["%s"]
                labels = { env = "test" }
                """.formatted(name, bootstrap, groupRegex);
    }

    static String pushgatewaySink(String url, String extra) {
        return "[[sinks]]\ntype = \"pushgateway\"\nurl = \"" + url + "\"\n" + extra + "\n";
    }

    private static List<String> lines(String exposition) {
        return Arrays.asList(exposition.split("\n"));
    }

    @Test
    void aRealSnapshotIsServedByTheGatewayWithExactValues() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("pa-t", 2)
                .produce("pa-t", 0, 10, i -> 1_000L + i)
                .produce("pa-t", 1, 4, i -> 1_000L + i)
                .commit("pa-g", Map.of(new TopicPartition("pa-t", 0), 4L, new TopicPartition("pa-t", 1), 4L));

        RunReport report = run(cluster("local", broker.bootstrapServers(), "^pa-")
                + pushgatewaySink(gateway.url(), ""), Shard.ALL);

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        assertThat(report.sinks()).singleElement().satisfies(s ->
                assertThat(s.detail()).startsWith("pushed local (").endsWith(" series) to " + gateway.url()
                        + " job lagsnap"));
        // The Pushgateway adds job and instance from the grouping key and writes labels sorted by name.
        String g = "cluster_name=\"local\",env=\"test\",group=\"pa-g\",instance=\"\",job=\"lagsnap\"";
        assertThat(lines(gateway.scrape())).contains(
                "kafka_partition_latest_offset{cluster_name=\"local\",env=\"test\",instance=\"\",job=\"lagsnap\","
                        + "partition=\"0\",topic=\"pa-t\"} 10",
                "kafka_partition_earliest_offset{cluster_name=\"local\",env=\"test\",instance=\"\","
                        + "job=\"lagsnap\",partition=\"1\",topic=\"pa-t\"} 0",
                "kafka_consumergroup_group_offset{client_id=\"\",cluster_name=\"local\",consumer_id=\"\","
                        + "env=\"test\",group=\"pa-g\",instance=\"\",job=\"lagsnap\",member_host=\"\","
                        + "partition=\"0\",topic=\"pa-t\"} 4",
                "kafka_consumergroup_group_lag{client_id=\"\",cluster_name=\"local\",consumer_id=\"\","
                        + "env=\"test\",group=\"pa-g\",instance=\"\",job=\"lagsnap\",member_host=\"\","
                        + "partition=\"0\",topic=\"pa-t\"} 6",
                "kafka_consumergroup_group_lag{client_id=\"\",cluster_name=\"local\",consumer_id=\"\","
                        + "env=\"test\",group=\"pa-g\",instance=\"\",job=\"lagsnap\",member_host=\"\","
                        + "partition=\"1\",topic=\"pa-t\"} 0",
                "kafka_consumergroup_group_sum_lag{" + g + "} 6",
                "kafka_consumergroup_group_max_lag{" + g + "} 6",
                "kafka_consumergroup_group_state{" + g + "} 5",
                "kafka_consumergroup_group_topic_sum_lag{" + g + ",topic=\"pa-t\"} 6",
                "kafka_lag_exporter_compaction_detected_total{cluster_name=\"local\",env=\"test\",instance=\"\","
                        + "job=\"lagsnap\"} 0",
                "kafka_lag_exporter_up{cluster_name=\"local\",env=\"test\",instance=\"\",job=\"lagsnap\"} 1",
                "# TYPE kafka_consumergroup_group_lag gauge");
        assertThat(lines(gateway.scrape())).anySatisfy(l ->
                assertThat(l).startsWith("push_time_seconds{cluster_name=\"local\",instance=\"\",job=\"lagsnap\"} "));
    }

    @Test
    void aBodyOfManyChunksIsStreamedAndTheGatewayServesEverySeriesExactly() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        int partitions = 20;
        int groups = 60;
        broker.scenario().topic("pm-t", partitions);
        for (int p = 0; p < partitions; p++) {
            broker.scenario().produce("pm-t", p, 3, i -> 1_000L);
        }
        Map<String, Map<TopicPartition, Long>> committed = new TreeMap<>();
        Set<String> expected = new TreeSet<>();
        for (int g = 0; g < groups; g++) {
            String group = String.format("pm-g%02d", g);
            Map<TopicPartition, Long> offsets = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
            for (int p = 0; p < partitions; p++) {
                offsets.put(new TopicPartition("pm-t", p), (long) (g % 4));
                // klag-exporter's seven labels: the detection flags are on lag_seconds only
                expected.add("kafka_consumergroup_group_lag{client_id=\"\",cluster_name=\"local\","
                        + "consumer_id=\"\",env=\"test\",group=\"" + group + "\",instance=\"\",job=\"lagsnap\",member_host=\"\",partition=\"" + p
                        + "\",topic=\"pm-t\"} " + (3 - g % 4));
            }
            committed.put(group, offsets);
        }
        broker.scenario().commitGroups(committed);

        RunReport report = run(cluster("local", broker.bootstrapServers(), "^pm-")
                + pushgatewaySink(gateway.url(), ""), Shard.ALL);

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        String exposition = gateway.scrape();
        // 1,200 partition rows of six series each: far more than one 64 KiB chunk, and one PUT
        assertThat(exposition.length()).isGreaterThan(4 * 64 * 1024);
        assertThat(lines(exposition).stream().filter(l -> l.startsWith("kafka_consumergroup_group_lag{")))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lines(exposition)).contains("kafka_consumergroup_group_sum_lag{cluster_name=\"local\","
                + "env=\"test\",group=\"pm-g01\",instance=\"\",job=\"lagsnap\"} 40");
    }

    @Test
    void aGroupDeletedBetweenTwoRunsIsGoneAfterTheSecondPush() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("pd-t", 1).produce("pd-t", 0, 5, i -> 1_000L)
                .commit("pd-kept", "pd-t", 0, 1L).commit("pd-deleted", "pd-t", 0, 2L);
        String toml = cluster("local", broker.bootstrapServers(), "^pd-") + pushgatewaySink(gateway.url(), "");
        String kept = "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",env=\"test\",group=\"pd-kept\","
                + "instance=\"\",job=\"lagsnap\"} 4";
        String deleted = "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",env=\"test\","
                + "group=\"pd-deleted\",instance=\"\",job=\"lagsnap\"} 3";

        assertThat(run(toml, Shard.ALL).exitCode()).isZero();
        assertThat(lines(gateway.scrape())).contains(kept, deleted);

        broker.admin().deleteConsumerGroups(List.of("pd-deleted")).all().get();
        assertThat(run(toml, Shard.ALL).exitCode()).isZero();

        String after = gateway.scrape();
        assertThat(lines(after)).contains(kept);
        assertThat(after).doesNotContain("pd-deleted");
    }

    @Test
    void oddClusterNamesTheShardAndExtraLabelsFormTheGroupingKey() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Shard shard = new Shard(1, 3);
        String group = ownedGroup("pk-", shard);
        broker.scenario().topic("pk-t", 1).produce("pk-t", 0, 7, i -> 1_000L).commit(group, "pk-t", 0, 2L);
        // '/' needs the Pushgateway's base64 form; a space and a '+' must survive the URL path as they are
        String name = "eu west/1+a";

        RunReport report = run(cluster(name, broker.bootstrapServers(), "^pk-")
                + pushgatewaySink(gateway.url(), "grouping_key = { region = \"a b/c\" }"), shard);

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        String key = "cluster_name=\"eu west/1+a\",instance=\"\",job=\"lagsnap\",region=\"a b/c\",shard=\"1/3\"";
        assertThat(lines(gateway.scrape())).contains(
                "push_failure_time_seconds{" + key + "} 0",
                "kafka_consumergroup_group_sum_lag{cluster_name=\"eu west/1+a\",env=\"test\",group=\"" + group
                        + "\",instance=\"\",job=\"lagsnap\",region=\"a b/c\",shard=\"1/3\"} 5",
                // the run group: the same key without cluster_name
                "lagsnap_run_exit_code{instance=\"\",job=\"lagsnap\",region=\"a b/c\",shard=\"1/3\"} 0");
    }

    /** "." and ".." as plain path segments got a 301 from the real Pushgateway, so every push failed. */
    @Test
    void aClusterNamedDotIsPushed() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("pdot-t", 1).produce("pdot-t", 0, 7, i -> 1_000L).commit("pdot-g", "pdot-t", 0, 2L);

        RunReport report = run(cluster(".", broker.bootstrapServers(), "^pdot-")
                + pushgatewaySink(gateway.url(), "grouping_key = { region = \"..\" }"), Shard.ALL);

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        assertThat(lines(gateway.scrape())).contains("kafka_consumergroup_group_sum_lag{cluster_name=\".\",env=\"test\","
                + "group=\"pdot-g\",instance=\"\",job=\"lagsnap\",region=\"..\"} 5");
    }

    @Test
    void theRunsOwnMetricsGoToTheRunGroupAndTheNextRunReplacesThem() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("ps-t", 1).produce("ps-t", 0, 3, i -> 1_000L).commit("ps-g", "ps-t", 0, 1L);
        String clusters = cluster("local", broker.bootstrapServers(), "^ps-")
                + pushgatewaySink(gateway.url(), "name = \"pgw\"");
        Path rows = dir.resolve("rows.json");
        String pgw = "{instance=\"\",job=\"lagsnap\",sink=\"pgw\",sink_type=\"pushgateway\"}";

        RunReport first = run(clusters + fileSink("rows", rows), Shard.ALL);

        assertThat(first.exitCode()).as(first.toJson()).isZero();
        Map<String, Double> pushed = runGroup(gateway.scrape());
        assertThat(pushed).isEqualTo(expectedRunGroup(first));
        // one PUT for the one cluster, the run group's own PUT comes after the report was made
        assertThat(pushed).containsEntry("lagsnap_sink_delivered" + pgw, 1.0)
                .containsEntry("lagsnap_sink_delivered{instance=\"\",job=\"lagsnap\",sink=\"rows\",sink_type=\"file\"}",
                        1.0)
                .containsEntry("lagsnap_sink_requests_total" + pgw, 1.0)
                .containsEntry("lagsnap_sink_failed_requests_total" + pgw, 0.0)
                .containsEntry("lagsnap_sink_retries_total" + pgw, 0.0)
                .containsEntry("lagsnap_run_exit_code{instance=\"\",job=\"lagsnap\"}", 0.0)
                .containsKey("lagsnap_run_last_success_timestamp_seconds{instance=\"\",job=\"lagsnap\"}");
        assertThat(lines(gateway.scrape())).anySatisfy(l ->
                assertThat(l).startsWith("push_time_seconds{instance=\"\",job=\"lagsnap\"} "));

        // a file sink under a regular file cannot write: the second run is partial
        RunReport second = run(clusters + fileSink("broken", rows.resolve("out.json")), Shard.ALL);

        assertThat(second.exitCode()).as(second.toJson()).isEqualTo(RunReport.EXIT_PARTIAL);
        Map<String, Double> replaced = runGroup(gateway.scrape());
        assertThat(replaced).isEqualTo(expectedRunGroup(second))
                .containsEntry("lagsnap_sink_delivered{instance=\"\",job=\"lagsnap\",sink=\"broken\","
                        + "sink_type=\"file\"}", 0.0)
                .containsEntry("lagsnap_run_exit_code{instance=\"\",job=\"lagsnap\"}", 1.0)
                .doesNotContainKey("lagsnap_run_last_success_timestamp_seconds{instance=\"\",job=\"lagsnap\"}");
        assertThat(replaced.keySet()).noneMatch(k -> k.contains("sink=\"rows\""));
        assertThat(Files.readString(rows)).contains("\"group\":\"ps-g\"");
    }

    private static String fileSink(String name, Path path) {
        return "[[sinks]]\ntype = \"file\"\nname = \"" + name + "\"\npath = \"" + path + "\"\n";
    }

    /** The run group's series as the gateway serves them: "name{labels sorted by name}" → value. */
    private static Map<String, Double> runGroup(String exposition) {
        Map<String, Double> out = new TreeMap<>();
        lines(exposition).stream().filter(l -> l.startsWith("lagsnap_sink_") || l.startsWith("lagsnap_run_"))
                .forEach(l -> out.put(l.substring(0, l.lastIndexOf(' ')),
                        Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))));
        return out;
    }

    /** Every series of the report's run metrics, with the grouping key's job and the gateway's empty instance. */
    private static Map<String, Double> expectedRunGroup(RunReport report) {
        Map<String, Double> out = new TreeMap<>();
        for (MetricFamily f : report.metrics()) {
            for (MetricFamily.Sample s : f.samples()) {
                Map<String, String> labels = new TreeMap<>(Map.of("instance", "", "job", "lagsnap"));
                for (int i = 0; i < s.labels().size(); i++) {
                    labels.put(s.labels().name(i), s.labels().value(i));
                }
                out.put(f.name() + labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                        .collect(Collectors.joining(",", "{", "}")), s.value());
            }
        }
        return out;
    }

    /** A group name with the prefix that the shard owns (shards split groups by a hash of the name). */
    private static String ownedGroup(String prefix, Shard shard) {
        for (int i = 0; ; i++) {
            if (shard.owns(prefix + i)) {
                return prefix + i;
            }
        }
    }

    @Test
    void promtoolFindsOnlyTheKlagCompatibleMillisecondNameInThePushedExposition() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("pl-t", 2)
                .produce("pl-t", 0, 6, i -> System.currentTimeMillis() - 60_000)
                .produce("pl-t", 1, 2, i -> System.currentTimeMillis() - 60_000)
                .commit("pl-g", "pl-t", 0, 3L);
        assertThat(run(cluster("local", broker.bootstrapServers(), "^pl-") + pushgatewaySink(gateway.url(), ""),
                Shard.ALL).exitCode()).isZero();
        String exposition = gateway.scrape();
        assertThat(exposition).contains("kafka_consumergroup_group_lag_seconds{", "kafka_lag_exporter_up{");

        // promtool 2.42 exits 3 when it only has lint findings (1 would be a parse error). The one finding is the
        // klag-exporter name kept for dashboard compatibility; klag's "_total" gauges are exposed as counters by
        // core's PrometheusText, so promtool has nothing to say about them.
        Promtool.Result result = Promtool.checkMetrics(exposition);
        assertThat(result.output()).isEqualTo(
                "kafka_consumergroup_poll_time_ms metric names should not contain abbreviated units\n");
        assertThat(result.exitCode()).isEqualTo(3);

        String withoutIt = String.join("\n", lines(exposition).stream()
                .filter(l -> !l.contains("kafka_consumergroup_poll_time_ms")).toList()) + "\n";
        Promtool.Result rest = Promtool.checkMetrics(withoutIt);
        assertThat(rest.output()).isEmpty();
        assertThat(rest.exitCode()).isZero();
    }

    @Test
    void aPushTheGatewayRejectsIsReportedAndNotRetried() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("pr-t", 1).commit("pr-g", "pr-t", 0, 0L);
        // Another job owns kafka_lag_exporter_up as a counter: the Pushgateway refuses an inconsistent push (400).
        assertThat(gateway.put("/metrics/job/other", "# TYPE kafka_lag_exporter_up counter\nkafka_lag_exporter_up 1\n"))
                .isEqualTo(200);
        long rejectedBefore = gateway.pushRequests("400");

        RunReport report = run(cluster("local", broker.bootstrapServers(), "^pr-")
                + pushgatewaySink(gateway.url(), "retries = 3"), Shard.ALL);

        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_NOTHING_DELIVERED);
        SinkOutcome outcome = report.sinks().get(0);
        assertThat(outcome.delivered()).isFalse();
        assertThat(outcome.detail())
                .startsWith("pushgateway " + gateway.url() + " job lagsnap: local: attempt 1 of 4: ")
                .contains(" was 400, response body: pushed metrics are invalid or inconsistent with existing metrics")
                .endsWith(" (not retried)");
        assertThat(gateway.pushRequests("400")).isEqualTo(rejectedBefore + 1);
    }

    @Test
    void aGroupingLabelThatWouldOverwriteMetricLabelsIsRefusedBeforePushing() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("pt-t", 1).commit("pt-g", "pt-t", 0, 0L);
        long pushesBefore = gateway.pushRequests("200");

        // a label of the lag metrics themselves: a config error when the sink is built, before any collection
        assertThatThrownBy(() -> run(cluster("local", broker.bootstrapServers(), "^pt-")
                + pushgatewaySink(gateway.url(), "grouping_key = { topic = \"x\" }"), Shard.ALL))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml:11: sinks[0].grouping_key.topic: \"topic\" is a label lagsnap sets "
                        + "itself");
        assertThat(gateway.pushRequests("200")).isEqualTo(pushesBefore);

        // a cluster's own label is known only once collected: refused at push time
        RunReport report = run(cluster("local", broker.bootstrapServers(), "^pt-")
                + pushgatewaySink(gateway.url(), "grouping_key = { env = \"prod\" }"), Shard.ALL);

        assertThat(report.sinks().get(0).detail()).isEqualTo("pushgateway " + gateway.url() + " job lagsnap: local: "
                + "grouping_key label(s) [env] would overwrite the metrics' own labels of that name; not pushed");
        assertThat(gateway.scrape()).doesNotContain("kafka_");
        // the run group's labels (sink, sink_type) do not clash: it alone is pushed, and says the sink failed
        assertThat(gateway.pushRequests("200")).isEqualTo(pushesBefore + 1);
        assertThat(lines(gateway.scrape())).contains("lagsnap_sink_delivered{env=\"prod\",instance=\"\","
                + "job=\"lagsnap\",sink=\"pushgateway\",sink_type=\"pushgateway\"} 0");
    }
}
