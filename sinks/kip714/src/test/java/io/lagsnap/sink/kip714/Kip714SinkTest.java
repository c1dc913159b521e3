package io.lagsnap.sink.kip714;

import static io.lagsnap.sink.kip714.TestRuns.closedPort;
import static io.lagsnap.sink.kip714.TestRuns.collect;
import static io.lagsnap.sink.kip714.TestRuns.config;
import static io.lagsnap.sink.kip714.TestRuns.deliver;
import static io.lagsnap.sink.kip714.TestRuns.down;
import static io.lagsnap.sink.kip714.TestRuns.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.SamplingStats;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.tools.ClientMetricsCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kip714 sink against a real broker that runs a client-telemetry receiver: the lag arrives in the broker's
 * OTLP payload with exact values, and every reason it cannot arrive is reported as not delivered.
 */
class Kip714SinkTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(
            Map.of("metric.reporters", RecordingTelemetryReceiver.class.getName()));

    private static final String PREFIX = "org.apache.kafka.lagsnap.";
    private static final long BASE = 1_700_000_000_000L;
    /** lagsnap's per-cluster self-metrics: one phase time per phase, the Admin requests, six sampling counters. */
    private static final List<String> SELF_METRICS = List.of(PREFIX + "lagsnap_phase_duration_seconds",
            PREFIX + "lagsnap_admin_requests_total", PREFIX + "lagsnap_sampling_requested_total", PREFIX + "lagsnap_sampling_sampled_total",
            PREFIX + "lagsnap_sampling_missed_total", PREFIX + "lagsnap_sampling_clock_skewed_total",
            PREFIX + "lagsnap_sampling_fetch_requests_total", PREFIX + "lagsnap_sampling_fetched_bytes_total");

    /**
     * orders-0 holds offsets 0..9 at BASE + i s, orders-1 offsets 0..3 at BASE + 100 s + i s. audit (Empty) and
     * billing (Empty) commit without members; live (Stable) has one member, client.id billing-worker-1.
     */
    @BeforeAll
    static void scenario() {
        KAFKA.broker().scenario()
                .topic("orders", 2)
                .produce("orders", 0, 10, i -> BASE + i * 1000)
                .produce("orders", 1, 4, i -> BASE + 100_000 + i * 1000)
                .commit("audit", "orders", 0, 10).commit("audit", "orders", 1, 1)
                .commit("billing", "orders", 0, 3).commit("billing", "orders", 1, 4)
                .commit("live", "orders", 0, 5).commit("live", "orders", 1, 2)
                .activeMember("live", List.of("orders"), Map.of("client.id", "billing-worker-1"));
    }

    @AfterEach
    void removeSubscriptions() throws Exception {
        TestRuns.unsubscribeAll(broker().admin());
    }

    @Test
    void pushesTheGroupLevelSeriesWithExactValuesByDefault() throws Exception {
        subscribe(broker().admin(), "lagsnap", PREFIX, 500, "client_id=lagsnap-groups");
        LagsnapConfig config = config(broker().bootstrapServers(), "topic", "client_id = \"lagsnap-groups\"");
        ClusterSnapshot cluster = collect(config);

        Delivery delivery = deliver(config, cluster, Duration.ofSeconds(20));

        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        // 16 group-level series, 3 group infos, 6 phase times and 6 sampling counters (no item failed: no error counter)
        assertThat(cluster.phaseDurations().keySet()).containsExactly(Phase.LIST, Phase.DESCRIBE, Phase.OFFSETS,
                Phase.WATERMARKS, Phase.CONFIGS, Phase.SAMPLING);
        assertThat(cluster.errors()).isEmpty();
        assertThat(delivery.detail()).startsWith("the broker answered a telemetry push of 32 of 32 series from "
                + "client_id=lagsnap-groups, client instance ");
        double now = cluster.time().toEpochMilli();
        Map<String, Map<Map<String, String>, Double>> expected = new TreeMap<>();
        expected.put(PREFIX + "kafka_consumergroup_group_max_lag",
                byGroup(Map.of("audit", 3.0, "billing", 7.0, "live", 5.0)));
        expected.put(PREFIX + "kafka_consumergroup_group_sum_lag",
                byGroup(Map.of("audit", 3.0, "billing", 7.0, "live", 7.0)));
        // the record at each group's committed offset on its laggiest-in-time partition
        expected.put(PREFIX + "kafka_consumergroup_group_max_lag_seconds", byGroup(Map.of(
                "audit", (now - (BASE + 101_000)) / 1000,
                "billing", (now - (BASE + 3_000)) / 1000,
                "live", (now - (BASE + 5_000)) / 1000)));
        expected.put(PREFIX + "kafka_consumergroup_group_state",
                byGroup(Map.of("audit", 5.0, "billing", 5.0, "live", 3.0)));
        expected.put(PREFIX + "kafka_consumergroup_group_topic_sum_lag", Map.of(
                Map.of("cluster_name", "local", "env", "test", "group", "audit", "topic", "orders"), 3.0,
                Map.of("cluster_name", "local", "env", "test", "group", "billing", "topic", "orders"), 7.0,
                Map.of("cluster_name", "local", "env", "test", "group", "live", "topic", "orders"), 7.0));
        expected.put(PREFIX + "kafka_lag_exporter_up", Map.of(Map.of("cluster_name", "local", "env", "test"), 1.0));
        expected.put(PREFIX + "lagsnap_group_info", Map.of(
                groupInfo("audit", "Empty"), 1.0, groupInfo("billing", "Empty"), 1.0, groupInfo("live", "Stable"), 1.0));
        expected.putAll(selfMetrics(cluster));
        assertThat(RecordingTelemetryReceiver.gaugesFrom("lagsnap-groups")).isEqualTo(expected);
        assertThat(RecordingTelemetryReceiver.pushesFrom("lagsnap-groups"))
                .allSatisfy(p -> assertThat(p.contentType()).isEqualTo("OTLP"));
    }

    @Test
    void theReadmesSubscriptionCommandMakesASinkWithDefaultsDeliver() throws Exception {
        // as in the README: kafka-client-metrics.sh --bootstrap-server B --alter --name lagsnap ...
        kafkaClientMetrics("--bootstrap-server", broker().bootstrapServers(), "--alter", "--name", "lagsnap",
                "--metrics", "org.apache.kafka.lagsnap.", "--interval", "1000", "--match", "client_id=lagsnap");
        LagsnapConfig config = config(broker().bootstrapServers(), "topic", "");

        Delivery delivery = deliver(config, collect(config), Duration.ofSeconds(20));

        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(delivery.detail()).contains(" 32 of 32 series from client_id=lagsnap, ");
        assertThat(RecordingTelemetryReceiver.gaugesFrom("lagsnap").get(PREFIX + "kafka_consumergroup_group_sum_lag"))
                .isEqualTo(byGroup(Map.of("audit", 3.0, "billing", 7.0, "live", 7.0)));
    }

    @Test
    void perPartitionAddsEveryPartitionSeriesAndKeepsTheMembersClientIdAsMemberClientId() throws Exception {
        subscribe(broker().admin(), "lagsnap", PREFIX, 500, "client_id=lagsnap-partitions");
        LagsnapConfig config = config(broker().bootstrapServers(), "partition",
                "client_id = \"lagsnap-partitions\"\nper_partition = true");
        ClusterSnapshot cluster = collect(config);

        Delivery delivery = deliver(config, cluster, Duration.ofSeconds(20));

        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        // 16 group-level, 3 group infos, 12 self-metrics, 2 x 2 partition offsets, 6 rows x 6 row families
        assertThat(delivery.detail()).contains(" 72 of 72 series ");
        Map<String, Map<Map<String, String>, Double>> pushed = RecordingTelemetryReceiver.gaugesFrom("lagsnap-partitions");
        List<String> names = new ArrayList<>(SELF_METRICS);
        names.addAll(List.of(
                PREFIX + "kafka_consumergroup_group_max_lag", PREFIX + "kafka_consumergroup_group_sum_lag",
                PREFIX + "kafka_consumergroup_group_max_lag_seconds", PREFIX + "kafka_consumergroup_group_state",
                PREFIX + "kafka_consumergroup_group_topic_sum_lag", PREFIX + "kafka_lag_exporter_up",
                PREFIX + "lagsnap_group_info",
                PREFIX + "kafka_partition_latest_offset", PREFIX + "kafka_partition_earliest_offset",
                PREFIX + "kafka_consumergroup_group_offset", PREFIX + "kafka_consumergroup_group_lag",
                PREFIX + "kafka_consumergroup_group_lag_seconds", PREFIX + "kafka_consumergroup_group_messages_lost",
                PREFIX + "kafka_consumergroup_group_retention_margin",
                PREFIX + "kafka_consumergroup_group_lag_retention_ratio"));
        assertThat(pushed.keySet()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(pushed.get(PREFIX + "kafka_partition_latest_offset")).isEqualTo(Map.of(
                Map.of("cluster_name", "local", "env", "test", "topic", "orders", "partition", "0"), 10.0,
                Map.of("cluster_name", "local", "env", "test", "topic", "orders", "partition", "1"), 4.0));

        Map<Map<String, String>, Double> expectedLag = new HashMap<>();
        Map<String, Long> lagByRow = Map.of("audit-0", 0L, "audit-1", 3L, "billing-0", 7L, "billing-1", 0L,
                "live-0", 5L, "live-1", 2L);
        for (PartitionLag row : cluster.rows()) {
            Map<String, String> attributes = new TreeMap<>(Map.of("cluster_name", "local", "env", "test",
                    "group", row.group(), "topic", "orders", "partition", Integer.toString(row.partition())));
            attributes.put("member_host", row.member().host());
            attributes.put("consumer_id", row.member().consumerId());
            attributes.put("member_client_id", row.group().equals("live") ? "billing-worker-1" : "");
            expectedLag.put(attributes, (double) lagByRow.get(row.group() + "-" + row.partition()));
        }
        assertThat(cluster.rows()).hasSize(6);
        assertThat(pushed.get(PREFIX + "kafka_consumergroup_group_lag")).isEqualTo(expectedLag);
    }

    @Test
    void aClusterThatFailsFailsTheSinkWhileTheOthersStillPush() throws Exception {
        subscribe(broker().admin(), "lagsnap", PREFIX, 500, "client_id=lagsnap-multi");
        LagsnapConfig config = config("topic", Map.of("local", broker().bootstrapServers(), "elsewhere", closedPort()),
                "client_id = \"lagsnap-multi\"\nsubscription_timeout = \"1s\"");
        ClusterSnapshot local = collect(config.onlyClusters(List.of("local")));

        Delivery delivery = deliver(config, List.of(local, down("elsewhere")), Duration.ofSeconds(20));

        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail())
                .matches("elsewhere: the cluster did not answer within 1000 ms: TimeoutException: .*; local: the broker "
                        + "answered a telemetry push of 32 of 32 series from client_id=lagsnap-multi, client instance .*");
        assertThat(RecordingTelemetryReceiver.gaugesFrom("lagsnap-multi").get(PREFIX + "kafka_lag_exporter_up"))
                .isEqualTo(Map.of(Map.of("cluster_name", "local", "env", "test"), 1.0));
    }

    @Test
    void clustersLimitsTheSinkToTheNamedClusters() throws Exception {
        subscribe(broker().admin(), "lagsnap", PREFIX, 500, "client_id=lagsnap-chosen");
        LagsnapConfig config = config("topic", Map.of("local", broker().bootstrapServers(), "elsewhere", closedPort()),
                "client_id = \"lagsnap-chosen\"\nclusters = [\"local\"]");
        ClusterSnapshot local = collect(config.onlyClusters(List.of("local")));

        Delivery delivery = deliver(config, List.of(local, down("elsewhere")), Duration.ofSeconds(20));

        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(delivery.detail()).startsWith("the broker answered a telemetry push of 32 of 32 series ");
    }

    @Test
    void noSubscriptionForThisClientIsNotDeliveredAndPushesNothing() throws Exception {
        subscribe(broker().admin(), "other-team", "org.apache.kafka.producer.", 500, "client_id=payments");
        LagsnapConfig config = config(broker().bootstrapServers(), "topic", "client_id = \"lagsnap-nosub\"");

        Delivery delivery = deliver(config, collect(config), Duration.ofSeconds(20));

        assertThat(delivery).isEqualTo(Delivery.failed(
                "no client-metrics subscription applies to client_id=lagsnap-nosub (the cluster has other-team)"));
        assertThat(RecordingTelemetryReceiver.pushesFrom("lagsnap-nosub")).isEmpty();
    }

    @Test
    void aSubscriptionRequestingOtherMetricsIsNotDelivered() throws Exception {
        subscribe(broker().admin(), "admin-only", "org.apache.kafka.admin.client.", 500, "client_id=lagsnap-other");
        LagsnapConfig config = config(broker().bootstrapServers(), "topic", "client_id = \"lagsnap-other\"");

        Delivery delivery = deliver(config, collect(config), Duration.ofSeconds(20));

        assertThat(delivery).isEqualTo(Delivery.failed("the client-metrics subscription(s) admin-only applying to "
                + "client_id=lagsnap-other request none of lagsnap's metrics (they request "
                + "[org.apache.kafka.admin.client.]; lagsnap's start with org.apache.kafka.lagsnap.)"));
    }

    /**
     * The subscription requesting lagsnap's prefix selects on a source address lagsnap cannot know, so only the
     * push itself can show it does not apply: the push that arrives carries the Admin client's own metrics only.
     */
    @Test
    void aPushWithoutLagsnapsSeriesIsNotDelivered() throws Exception {
        subscribe(broker().admin(), "by-address", PREFIX, 500, "client_source_address=192\\.0\\.2\\.1");
        subscribe(broker().admin(), "admin-only", "org.apache.kafka.admin.client.", 500, "client_id=lagsnap-observed");
        LagsnapConfig config = config(broker().bootstrapServers(), "topic", "client_id = \"lagsnap-observed\"");

        Delivery delivery = deliver(config, collect(config), Duration.ofSeconds(20));

        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail())
                .startsWith("the telemetry push of client_id=lagsnap-observed, client instance ")
                .endsWith(" carried none of lagsnap's series: no subscription applying to it requests names "
                        + "starting with org.apache.kafka.lagsnap.");
        Set<String> received = RecordingTelemetryReceiver.gaugesFrom("lagsnap-observed").keySet();
        assertThat(received).isNotEmpty().allMatch(name -> name.startsWith("org.apache.kafka.admin.client."));
    }

    @Test
    void aPushIntervalLongerThanTheDeadlineAllowsFailsAtOnceWithoutWaiting() throws Exception {
        subscribe(broker().admin(), "hourly", PREFIX, 3_600_000, "client_id=lagsnap-slow");
        LagsnapConfig config = config(broker().bootstrapServers(), "topic", "client_id = \"lagsnap-slow\"");

        Delivery delivery = deliver(config, collect(config), Duration.ofSeconds(20));

        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).matches("the push interval for client_id=lagsnap-slow is 3600000 ms "
                + "\\(subscription\\(s\\) hourly\\); the first push comes 0.5-1.5 times that after subscribing, "
                + "later than the \\d+ ms left before the deadline: lower interval.ms, e.g. to 1000");
        assertThat(RecordingTelemetryReceiver.pushesFrom("lagsnap-slow")).isEmpty();
    }

    @Test
    void theRunnersExitCodeSaysWhetherTheLagWasDelivered() throws Exception {
        subscribe(broker().admin(), "lagsnap", PREFIX, 500, "client_id=lagsnap-run");
        RunReport delivered = Runner.standard().run(
                config(broker().bootstrapServers(), "topic", "client_id = \"lagsnap-run\""),
                Deadline.after(Duration.ofSeconds(30)), Shard.ALL);
        RunReport notDelivered = Runner.standard().run(
                config(broker().bootstrapServers(), "topic", "client_id = \"lagsnap-unsubscribed\""),
                Deadline.after(Duration.ofSeconds(30)), Shard.ALL);

        assertThat(delivered.exitCode()).as(delivered.toJson()).isEqualTo(RunReport.EXIT_OK);
        assertThat(notDelivered.exitCode()).isEqualTo(RunReport.EXIT_NOTHING_DELIVERED);
        assertThat(notDelivered.sinks()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("kip714");
            assertThat(s.delivered()).isFalse();
            assertThat(s.detail()).isEqualTo("no client-metrics subscription applies to "
                    + "client_id=lagsnap-unsubscribed (the cluster has lagsnap)");
        });
    }

    /** What kafka-client-metrics.sh runs, with the same arguments, without its System.exit. */
    private static void kafkaClientMetrics(String... args) throws Exception {
        ClientMetricsCommand.ClientMetricsCommandOptions options = new ClientMetricsCommand.ClientMetricsCommandOptions(args);
        Properties admin = new Properties();
        admin.put("bootstrap.servers", options.bootstrapServer());
        ClientMetricsCommand.ClientMetricsService service = new ClientMetricsCommand.ClientMetricsService(admin);
        try {
            service.alterClientMetrics(options);
        } finally {
            service.close();
        }
    }

    /** The cluster's self-metrics as the broker must receive them: phase times, Admin requests, sampling counts. */
    private static Map<String, Map<Map<String, String>, Double>> selfMetrics(ClusterSnapshot cluster) {
        Map<String, String> local = Map.of("cluster_name", "local", "env", "test");
        Map<Map<String, String>, Double> phases = new HashMap<>();
        cluster.phaseDurations().forEach((phase, took) -> phases.put(
                Map.of("cluster_name", "local", "env", "test", "phase", phase.label()), took.toNanos() / 1e9));
        SamplingStats s = cluster.sampling();
        return Map.of(PREFIX + "lagsnap_phase_duration_seconds", phases,
                PREFIX + "lagsnap_admin_requests_total", Map.of(local, (double) cluster.adminRequests()),
                PREFIX + "lagsnap_sampling_requested_total", Map.of(local, (double) s.requested()),
                PREFIX + "lagsnap_sampling_sampled_total", Map.of(local, (double) s.sampled()),
                PREFIX + "lagsnap_sampling_missed_total", Map.of(local, (double) s.missed()),
                PREFIX + "lagsnap_sampling_clock_skewed_total", Map.of(local, (double) s.clockSkewed()),
                PREFIX + "lagsnap_sampling_fetch_requests_total", Map.of(local, (double) s.fetchRequests()),
                PREFIX + "lagsnap_sampling_fetched_bytes_total", Map.of(local, (double) s.bytesFetched()));
    }

    private static Map<Map<String, String>, Double> byGroup(Map<String, Double> values) {
        Map<Map<String, String>, Double> out = new HashMap<>();
        values.forEach((group, v) -> out.put(Map.of("cluster_name", "local", "env", "test", "group", group), v));
        return out;
    }

    private static KafkaBroker broker() {
        return KAFKA.broker();
    }

    private static Map<String, String> groupInfo(String group, String state) {
        return Map.of("cluster_name", "local", "env", "test", "group", group, "group_type", "classic",
                "state", state);
    }
}
