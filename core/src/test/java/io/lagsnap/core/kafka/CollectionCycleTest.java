package io.lagsnap.core.kafka;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.GroupTopicLag;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.PartitionOffsets;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.Scenario;
import io.lagsnap.testkit.ShareGroups;
import io.lagsnap.testkit.StreamsApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The collection cycle against a real in-process broker, with exact expected values for each case. */
class CollectionCycleTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final long T0 = 1_700_000_000_000L;

    private static ClusterSnapshot collect(LagsnapConfig config) {
        return new KafkaCollector(config.clusters().get(0), config.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
    }

    private static PartitionLag row(ClusterSnapshot s, String group, String topic, int partition) {
        return s.rows().stream()
                .filter(r -> r.group().equals(group) && r.topic().equals(topic) && r.partition() == partition)
                .findFirst().orElseThrow(() -> new AssertionError("no row " + group + " " + topic + "-" + partition));
    }

    @Test
    void everyDemoCaseHasExactValues() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("d-orders", 3);
        for (int p = 0; p < 3; p++) {
            s.produce("d-orders", p, 100, i -> T0 + i * 1000L);
        }
        s.commit("d-lagging", Map.of(tp("d-orders", 0), 40L, tp("d-orders", 1), 50L, tp("d-orders", 2), 60L));
        s.commit("d-live", Map.of(tp("d-orders", 0), 90L, tp("d-orders", 1), 95L, tp("d-orders", 2), 100L));
        s.activeMember("d-live", "d-orders");
        s.commit("d-partial", "d-orders", 0, 10L);
        s.commit("d-ahead", "d-orders", 1, 150L);
        s.topic("d-retention", 1).produce("d-retention", 0, 100, i -> T0 + i);
        s.deleteRecords("d-retention", 0, 30);
        s.commit("d-behind", "d-retention", 0, 10L);
        s.compactedTopic("d-compacted", 1).produceKeyed("d-compacted", 0, 20, i -> "k" + (i % 5), i -> T0 + i);
        s.commit("d-compact-reader", "d-compacted", 0, 5L);

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^d-", ""));

        assertThat(snap.up()).isTrue();
        assertThat(snap.partial()).isFalse();
        assertThat(snap.errors()).isEmpty();
        assertThat(snap.groups()).extracting(GroupLag::group).containsExactly(
                "d-ahead", "d-behind", "d-compact-reader", "d-lagging", "d-live", "d-partial");

        // a lagging Empty group with committed offsets
        PartitionLag lagging0 = row(snap, "d-lagging", "d-orders", 0);
        assertThat(lagging0.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(lagging0.committedOffset()).isEqualTo(40);
        assertThat(lagging0.lowWatermark()).isZero();
        assertThat(lagging0.highWatermark()).isEqualTo(100);
        assertThat(lagging0.lag()).isEqualTo(60);
        assertThat(lagging0.messagesLost()).isZero();
        assertThat(lagging0.retentionMargin()).isEqualTo(40);
        assertThat(lagging0.lagRetentionRatio()).isEqualTo(60.0);
        assertThat(lagging0.dataLossDetected()).isFalse();
        assertThat(lagging0.compactionDetected()).isFalse();
        assertThat(lagging0.member().host()).isEmpty();
        assertThat(row(snap, "d-lagging", "d-orders", 1).lag()).isEqualTo(50);
        assertThat(row(snap, "d-lagging", "d-orders", 2).lag()).isEqualTo(40);

        // a live (Stable) group: members fill host, consumer id and client id
        PartitionLag live0 = row(snap, "d-live", "d-orders", 0);
        assertThat(live0.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(live0.lag()).isEqualTo(10);
        assertThat(live0.member().clientId()).isNotEmpty();
        assertThat(live0.member().consumerId()).isNotEmpty();
        assertThat(live0.member().host()).contains("127.0.0.1");
        assertThat(row(snap, "d-live", "d-orders", 2).lag()).isZero();
        assertThat(row(snap, "d-live", "d-orders", 2).lagSeconds()).isEqualTo(0.0);

        // partitions without a committed offset have no row at all
        assertThat(snap.rows().stream().filter(r -> r.group().equals("d-partial"))).hasSize(1);
        assertThat(row(snap, "d-partial", "d-orders", 0).lag()).isEqualTo(90);

        // committed beyond the high watermark: caught up, not negative
        PartitionLag ahead = row(snap, "d-ahead", "d-orders", 1);
        assertThat(ahead.lag()).isZero();
        assertThat(ahead.lagRetentionRatio()).isZero();
        assertThat(ahead.retentionMargin()).isEqualTo(150);

        // behind the log start after deleteRecords: data loss
        PartitionLag behind = row(snap, "d-behind", "d-retention", 0);
        assertThat(behind.lowWatermark()).isEqualTo(30);
        assertThat(behind.lag()).isEqualTo(90);
        assertThat(behind.messagesLost()).isEqualTo(20);
        assertThat(behind.retentionMargin()).isEqualTo(-20);
        assertThat(behind.lagRetentionRatio()).isCloseTo(90 * 100.0 / 70, within(1e-9));
        assertThat(behind.dataLossDetected()).isTrue();

        // compacted topic
        PartitionLag compact = row(snap, "d-compact-reader", "d-compacted", 0);
        assertThat(compact.compactionDetected()).isTrue();
        assertThat(compact.lag()).isEqualTo(15);

        assertThat(snap.groups()).contains(
                new GroupLag("d-lagging", GroupType.CLASSIC, GroupState.EMPTY, 60L, 150L, snap.groups().stream()
                        .filter(g -> g.group().equals("d-lagging")).findFirst().orElseThrow().maxLagSeconds()));
        assertThat(snap.groupTopics()).contains(new GroupTopicLag("d-lagging", "d-orders", 150, 60.0, 0),
                new GroupTopicLag("d-live", "d-orders", 15, 10.0, 0),
                new GroupTopicLag("d-behind", "d-retention", 90, behind.lagRetentionRatio(), 20));
        assertThat(snap.partitions()).contains(new PartitionOffsets("d-orders", 0, 0, 100),
                new PartitionOffsets("d-retention", 0, 30, 100), new PartitionOffsets("d-compacted", 0, 0, 20));
        assertThat(snap.compactionDetectedCount()).isEqualTo(1);
        assertThat(snap.dataLossPartitionCount()).isEqualTo(1);
        assertThat(snap.phaseDurations()).containsOnlyKeys(Phase.LIST, Phase.DESCRIBE, Phase.OFFSETS,
                Phase.WATERMARKS, Phase.CONFIGS, Phase.SAMPLING);
    }

    @Test
    void groupAndTopicFiltersAndInternalTopicsExcludedByDefault() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("f-keep", 1).topic("f-drop", 1).topic("__f-internal", 1);
        s.produce("f-keep", 0, 10, i -> T0).produce("f-drop", 0, 10, i -> T0).produce("__f-internal", 0, 10, i -> T0);
        Map<TopicPartition, Long> all = Map.of(tp("f-keep", 0), 1L, tp("f-drop", 0), 2L, tp("__f-internal", 0), 3L);
        s.commitGroups(Map.of("f-app", all, "f-app-console", all, "f-other", all));

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^f-app",
                "group_blacklist = [\"console\"]\ntopic_blacklist = [\"^__\", \"drop$\"]"));

        assertThat(snap.groups()).extracting(GroupLag::group).containsExactly("f-app");
        assertThat(snap.rows()).extracting(r -> r.group() + "/" + r.topic()).containsExactly("f-app/f-keep");
        assertThat(snap.partitions()).extracting(PartitionOffsets::topic).containsExactly("f-keep");
    }

    @Test
    void granularityTopicDropsPerPartitionConsumerSeriesButKeepsOffsetsAndAggregates() {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("g-t", 2).produce("g-t", 0, 10, i -> T0).produce("g-t", 1, 10, i -> T0)
                .commit("g-group", Map.of(tp("g-t", 0), 4L, tp("g-t", 1), 7L));
        LagsnapConfig partitionConfig = config(broker.bootstrapServers(), "^g-", "");
        ClusterSnapshot snap = collect(partitionConfig);

        Map<String, List<MetricFamily.Sample>> partition = byName(MetricFamilies.of(snap));
        assertThat(partition).containsKeys("kafka_consumergroup_group_offset", "kafka_consumergroup_group_lag",
                "kafka_consumergroup_group_lag_seconds", "kafka_consumergroup_group_messages_lost",
                "kafka_consumergroup_group_retention_margin", "kafka_consumergroup_group_lag_retention_ratio");
        assertThat(partition.get("kafka_consumergroup_group_lag")).extracting(MetricFamily.Sample::value)
                .containsExactly(6.0, 3.0);

        ClusterSnapshot topicSnap = snap.toBuilder().granularity(Granularity.TOPIC).build();
        Map<String, List<MetricFamily.Sample>> topic = byName(MetricFamilies.of(topicSnap));
        assertThat(topic).doesNotContainKeys("kafka_consumergroup_group_offset", "kafka_consumergroup_group_lag",
                "kafka_consumergroup_group_lag_seconds", "kafka_consumergroup_group_messages_lost",
                "kafka_consumergroup_group_retention_margin", "kafka_consumergroup_group_lag_retention_ratio");
        assertThat(topic.get("kafka_consumergroup_group_topic_sum_lag")).extracting(MetricFamily.Sample::value)
                .containsExactly(9.0);
        assertThat(topic.get("kafka_consumergroup_group_max_lag")).extracting(MetricFamily.Sample::value)
                .containsExactly(6.0);
        assertThat(topic.get("kafka_partition_latest_offset")).extracting(MetricFamily.Sample::value)
                .containsExactly(10.0, 10.0);
        assertThat(topic.get("kafka_lag_exporter_up")).extracting(MetricFamily.Sample::value).containsExactly(1.0);
    }

    /** N parallel shards (Indexed Job pods) cover every group exactly once. */
    @Test
    void shardsCoverEveryGroupExactlyOnce() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("h-t", 1).produce("h-t", 0, 5, i -> T0);
        Map<String, Map<TopicPartition, Long>> offsets = new HashMap<>();
        IntStream.range(0, 60).forEach(g -> offsets.put("h-group-" + g, Map.of(tp("h-t", 0), 1L)));
        s.commitGroups(offsets);
        LagsnapConfig c = config(broker.bootstrapServers(), "^h-", "");

        List<String> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ClusterSnapshot shard = new KafkaCollector(c.clusters().get(0), c.exporter(), new Shard(i, 4))
                    .collect(Deadline.after(Duration.ofSeconds(30)));
            assertThat(shard.groups()).as("shard %d/4 got a fair share", i).hasSizeBetween(5, 30);
            shard.groups().forEach(g -> seen.add(g.group()));
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(offsets.keySet());
    }

    /**
     * The batched cycle: 200 classic, 40 share and 3 streams groups cost lagsnap exactly the requests that 2 classic,
     * 2 share and 1 streams group cost, counted at the broker API by API and at the client. The broker itself fans a DescribeShareGroupOffsets out
     * per share-partition (a ReadShareGroupStateSummary to the share coordinator and a ListOffsets for KIP-1226's
     * lag), so those two grow with the share-partitions, on the broker's side only.
     */
    @Test
    void requestCountsDoNotGrowWithTheNumberOfGroups() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("r-t", 4);
        for (int p = 0; p < 4; p++) {
            s.produce("r-t", p, 20, i -> T0);
        }
        s.commitGroups(groups("r-few-", 2));
        s.commitGroups(groups("r-many-", 200));
        IntStream.range(0, 2).forEach(g -> ShareGroups.setStartOffsets(broker.admin(), "r-few-share-" + g,
                Map.of(tp("r-t", g % 4), 1L)));
        IntStream.range(0, 40).forEach(g -> ShareGroups.setStartOffsets(broker.admin(), "r-many-share-" + g,
                Map.of(tp("r-t", g % 4), 1L)));
        // streams groups exist only while a Kafka Streams application heartbeats: 1 against 3
        List<StreamsApp> apps = new ArrayList<>();
        Requests few;
        Requests many;
        try {
            apps.add(StreamsApp.start(broker.clientConfig(), "r-few-streams-0", "r-t", 80));
            for (int g = 0; g < 3; g++) {
                apps.add(StreamsApp.start(broker.clientConfig(), "r-many-streams-" + g, "r-t", 80));
            }
            // sampling has its own request-count test; here only the Admin phases are compared
            String noSampling = "";
            few = requestsFor(broker, "^r-few-", noSampling);
            many = requestsFor(broker, "^r-many-", noSampling);
        } finally {
            apps.forEach(StreamsApp::close);
        }

        // Metadata aside: the Admin client refreshes it in the background when a refresh falls due mid-cycle
        assertThat(many.client() - many.broker().getOrDefault("Metadata", 0L))
                .isEqualTo(few.client() - few.broker().getOrDefault("Metadata", 0L));
        for (String api : List.of("OffsetFetch", "DescribeGroups", "ListGroups", "DescribeConfigs",
                "ShareGroupDescribe", "DescribeShareGroupOffsets", "ConsumerGroupDescribe", "StreamsGroupDescribe")) {
            assertThat(many.broker().getOrDefault(api, 0L)).as(api).isEqualTo(few.broker().getOrDefault(api, 0L));
        }
        // classic groups go straight to DescribeGroups, without a ConsumerGroupDescribe first
        assertThat(few.broker().get("DescribeGroups")).isEqualTo(1L);
        assertThat(few.broker()).doesNotContainKey("ConsumerGroupDescribe");
        assertThat(few.broker().get("ShareGroupDescribe")).isEqualTo(1L);
        assertThat(few.broker().get("DescribeShareGroupOffsets")).isEqualTo(1L);
        assertThat(few.broker().get("StreamsGroupDescribe")).isEqualTo(1L);
        // the consumer groups' and the streams groups' committed offsets: one OffsetFetch call each
        assertThat(few.broker().get("OffsetFetch")).isEqualTo(2L);
        // low, high and last stable offset: three ListOffsets in flight together, plus the broker's own per
        // share-partition
        assertThat(few.broker().get("ListOffsets")).isEqualTo(3L + 2);
        assertThat(many.broker().get("ListOffsets")).isEqualTo(3L + 40);
        assertThat(few.broker().get("ReadShareGroupStateSummary")).isEqualTo(2L);
        assertThat(many.broker().get("ReadShareGroupStateSummary")).isEqualTo(40L);
    }

    /** Requests of one cycle: by API as the broker served them, and in total as the Admin client sent them. */
    private record Requests(Map<String, Long> broker, long client) {
    }

    private static Requests requestsFor(KafkaBroker broker, String groupRegex, String extra) {
        LagsnapConfig c = config(broker.bootstrapServers(), groupRegex, extra);
        ExporterConfig noSampling = new ExporterConfig(c.exporter().granularity(), c.exporter().lagIsolation(),
                new ExporterConfig.TimestampSampling(false, Duration.ofSeconds(5), 100, false),
                c.exporter().performance());
        Map<String, Long> before = broker.requestCounts();
        ClusterSnapshot snap = new KafkaCollector(c.clusters().get(0), noSampling, Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
        assertThat(snap.up()).isTrue();
        return new Requests(broker.requestCountsSince(before), snap.adminRequests());
    }

    private static Map<String, Map<TopicPartition, Long>> groups(String prefix, int count) {
        Map<String, Map<TopicPartition, Long>> out = new HashMap<>();
        IntStream.range(0, count).forEach(g -> out.put(prefix + g,
                Map.of(tp("r-t", g % 4), (long) (g % 20))));
        return out;
    }

    private static Map<String, List<MetricFamily.Sample>> byName(List<MetricFamily> families) {
        return families.stream().collect(Collectors.toMap(MetricFamily::name, MetricFamily::samples));
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
