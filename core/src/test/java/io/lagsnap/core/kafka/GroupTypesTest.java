package io.lagsnap.core.kafka;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.Isolation;
import io.lagsnap.sink.api.model.LagSource;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.OpenTransaction;
import io.lagsnap.testkit.Scenario;
import io.lagsnap.testkit.ShareGroups;
import io.lagsnap.testkit.StreamsApp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of group and both isolation levels against a real broker: share groups (KIP-932), the last stable
 * offset next to the high watermark, and groups whose members never committed. Exact values for each case.
 */
class GroupTypesTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final long T0 = 1_700_000_000_000L;

    private static ClusterSnapshot collect(LagsnapConfig config, ExporterConfig.LagIsolation isolation) {
        ExporterConfig e = config.exporter();
        return new KafkaCollector(config.clusters().get(0),
                new ExporterConfig(e.granularity(), isolation, e.timestampSampling(), e.performance()), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
    }

    /** One partition: aborted 0..2 (marker 3) at T0, then committed 4..5 (marker 6) a minute later; LSO = HW = 7. */
    private static Scenario abortedThenCommitted(KafkaBroker broker, String topic) {
        Scenario s = broker.scenario();
        s.topic(topic, 1);
        s.abortedTransaction(topic, 0, 3, T0);
        s.openTransaction(topic, 0, 2, T0 + 60_000).commit();
        return s;
    }

    private static PartitionLag row(ClusterSnapshot s, String group, String topic, int partition) {
        return s.rows().stream()
                .filter(r -> r.group().equals(group) && r.topic().equals(topic) && r.partition() == partition)
                .findFirst().orElseThrow(() -> new AssertionError("no row " + group + " " + topic + "-" + partition));
    }

    /** Seconds from a record timestamp to the snapshot time, as the lag math computes them. */
    private static double age(ClusterSnapshot s, long timestampMs) {
        return (s.time().toEpochMilli() - timestampMs) / 1000.0;
    }

    @Test
    void anOpenTransactionHoldsTheLastStableOffsetAndACommittedOneMakesBothLagsAgree() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("x-open", 1);
        // 5 committed transactional records (0..4, marker 5), then an open transaction of 3 (6..8): LSO 6, HW 9
        s.openTransaction("x-open", 0, 5, T0).commit();
        OpenTransaction open = s.openTransaction("x-open", 0, 3, T0 + 10_000);
        s.commit("x-reader", "x-open", 0, 6L);
        LagsnapConfig config = config(broker.bootstrapServers(), "^x-", "");

        ClusterSnapshot committed = collect(config, ExporterConfig.LagIsolation.READ_COMMITTED);
        PartitionLag rc = row(committed, "x-reader", "x-open", 0);
        assertThat(rc.lastStableOffset()).isEqualTo(6);
        assertThat(rc.highWatermark()).isEqualTo(9);
        assertThat(rc.lag()).isEqualTo(3);
        assertThat(rc.lagCommitted()).isZero();
        assertThat(rc.lagIsolation()).isEqualTo(Isolation.READ_COMMITTED);
        assertThat(rc.reportedLag()).isZero();
        assertThat(rc.lagSeconds()).isEqualTo(0.0);
        assertThat(rc.sampledOffset()).isNull();
        assertThat(committed.groups()).containsExactly(
                new GroupLag("x-reader", GroupType.CLASSIC, GroupState.EMPTY, 0L, 0L, 0.0));
        assertThat(value(committed, "kafka_consumergroup_group_lag", "x-reader")).isEqualTo(0.0);

        ClusterSnapshot auto = collect(config, ExporterConfig.LagIsolation.AUTO);
        PartitionLag ru = row(auto, "x-reader", "x-open", 0);
        assertThat(ru.lag()).isEqualTo(3);
        assertThat(ru.lagCommitted()).isZero();
        assertThat(ru.lagIsolation()).isEqualTo(Isolation.READ_UNCOMMITTED);
        assertThat(ru.reportedLag()).isEqualTo(3);
        // read_uncommitted times the open transaction's first record, as such a consumer would receive it
        assertThat(ru.sampledOffset()).isEqualTo(6L);
        assertThat(ru.lagSeconds()).isEqualTo(age(auto, T0 + 10_000));
        assertThat(value(auto, "kafka_consumergroup_group_lag", "x-reader")).isEqualTo(3.0);

        open.commit();
        ClusterSnapshot after = collect(config, ExporterConfig.LagIsolation.READ_COMMITTED);
        PartitionLag done = row(after, "x-reader", "x-open", 0);
        assertThat(done.lastStableOffset()).isEqualTo(10);
        assertThat(done.highWatermark()).isEqualTo(10);
        assertThat(done.lag()).isEqualTo(4);
        assertThat(done.lagCommitted()).isEqualTo(4);
        assertThat(done.sampledOffset()).isEqualTo(6L);
    }

    @Test
    void readCommittedTimeLagSkipsAnAbortedBatchToTheFirstCommittedRecord() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = abortedThenCommitted(broker, "a-log");
        s.commit("a-reader", "a-log", 0, 0L);
        LagsnapConfig config = config(broker.bootstrapServers(), "^a-", "");

        ClusterSnapshot committed = collect(config, ExporterConfig.LagIsolation.READ_COMMITTED);
        PartitionLag rc = row(committed, "a-reader", "a-log", 0);
        assertThat(rc.lag()).isEqualTo(7);
        assertThat(rc.lagCommitted()).isEqualTo(7);
        assertThat(rc.sampledOffset()).isEqualTo(4L);
        assertThat(rc.sampledTimestamp()).isEqualTo(Instant.ofEpochMilli(T0 + 60_000));
        assertThat(rc.lagSeconds()).isEqualTo(age(committed, T0 + 60_000));

        ClusterSnapshot uncommitted = collect(config, ExporterConfig.LagIsolation.READ_UNCOMMITTED);
        PartitionLag ru = row(uncommitted, "a-reader", "a-log", 0);
        assertThat(ru.sampledOffset()).isEqualTo(0L);
        assertThat(ru.lagSeconds()).isEqualTo(age(uncommitted, T0));
    }

    @Test
    void aGroupWhoseMembersNeverCommittedHasARowPerAssignedPartitionAndNoLagAggregate() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("n-t", 2).produce("n-t", 0, 10, i -> T0).produce("n-t", 1, 10, i -> T0);
        s.deleteRecords("n-t", 1, 4);
        s.activeMember("n-group", "n-t");

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^n-", ""),
                ExporterConfig.LagIsolation.AUTO);

        assertThat(snap.rows()).extracting(PartitionLag::partition, PartitionLag::committedOffset, PartitionLag::lag,
                        PartitionLag::lagCommitted, PartitionLag::lagIfReset, PartitionLag::lagSeconds,
                        PartitionLag::lowWatermark, PartitionLag::highWatermark)
                .containsExactly(tuple(0, null, null, null, 10L, null, 0L, 10L),
                        tuple(1, null, null, null, 6L, null, 4L, 10L));
        assertThat(snap.rows()).allSatisfy(r -> {
            assertThat(r.member().clientId()).isNotEmpty();
            assertThat(r.groupType()).isEqualTo(GroupType.CLASSIC);
        });
        assertThat(snap.groups()).containsExactly(
                new GroupLag("n-group", GroupType.CLASSIC, GroupState.STABLE, null, null, null));
        Map<String, List<MetricFamily.Sample>> families = byName(MetricFamilies.of(snap));
        assertThat(families).doesNotContainKeys("kafka_consumergroup_group_lag", "kafka_consumergroup_group_max_lag",
                "kafka_consumergroup_group_sum_lag", "kafka_consumergroup_group_topic_sum_lag");
        assertThat(families.get("kafka_consumergroup_group_state")).hasSize(1);
        assertThat(families.get(MetricFamilies.GROUP_INFO)).singleElement().satisfies(sample -> {
            assertThat(sample.value()).isEqualTo(1.0);
            assertThat(sample.labels().get("group")).isEqualTo("n-group");
            assertThat(sample.labels().get("group_type")).isEqualTo("classic");
            assertThat(sample.labels().get("state")).isEqualTo("Stable");
        });
    }

    @Test
    void aShareGroupsRowHasTheStartOffsetAndTheBrokersLag() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("s-t", 1).produce("s-t", 0, 20, i -> T0 + i * 1000L);
        ShareGroups.startAtEarliest(broker.admin(), "s-group");

        try (ShareGroups.Member member = ShareGroups.Member.accepting(broker.clientConfig(), "s-group",
                List.of("s-t"), 8, Duration.ofSeconds(30))) {
            assertThat(member.accepted()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^s-", ""),
                    ExporterConfig.LagIsolation.AUTO);

            assertThat(snap.errors()).isEmpty();
            PartitionLag r = row(snap, "s-group", "s-t", 0);
            assertThat(r.groupType()).isEqualTo(GroupType.SHARE);
            assertThat(r.groupState()).isEqualTo(GroupState.STABLE);
            // 4.3.1 keeps the persisted start offset at 0 after 8 acceptances; the broker's lag counts the 12 left
            assertThat(r.committedOffset()).isEqualTo(0L);
            assertThat(r.lag()).isEqualTo(12L);
            assertThat(r.lagSource()).isEqualTo(LagSource.BROKER);
            assertThat(r.lagCommitted()).isEqualTo(20L);
            assertThat(r.sampledOffset()).isEqualTo(0L);
            assertThat(r.lagSeconds()).isEqualTo(age(snap, T0));
            assertThat(r.member().clientId()).isEmpty();
            assertThat(snap.groups()).containsExactly(new GroupLag("s-group", GroupType.SHARE, GroupState.STABLE,
                    12L, 12L, age(snap, T0)));
            assertThat(byName(MetricFamilies.of(snap)).get(MetricFamilies.GROUP_INFO)).singleElement()
                    .satisfies(sample -> assertThat(sample.labels().get("group_type")).isEqualTo("share"));
        }
    }

    @Test
    void underAutoAShareGroupWhoseConfigSaysReadCommittedReportsLagToTheLastStableOffset() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("i-t", 1);
        // 5 committed transactional records (0..4, marker 5), then an open transaction of 3 (6..8): LSO 6, HW 9
        s.openTransaction("i-t", 0, 5, T0).commit();
        s.openTransaction("i-t", 0, 3, T0 + 10_000);
        TopicPartition tp = new TopicPartition("i-t", 0);
        ShareGroups.readCommitted(broker.admin(), "i-committed");
        ShareGroups.setStartOffsets(broker.admin(), "i-committed", Map.of(tp, 2L));
        ShareGroups.setStartOffsets(broker.admin(), "i-default", Map.of(tp, 2L));
        LagsnapConfig config = config(broker.bootstrapServers(), "^i-", "");

        ClusterSnapshot auto = collect(config, ExporterConfig.LagIsolation.AUTO);
        assertThat(auto.errors()).isEmpty();
        PartitionLag rc = row(auto, "i-committed", "i-t", 0);
        assertThat(rc.lagIsolation()).isEqualTo(Isolation.READ_COMMITTED);
        assertThat(rc.lastStableOffset()).isEqualTo(6);
        assertThat(rc.lagCommitted()).isEqualTo(4);
        assertThat(rc.reportedLag()).isEqualTo(4);
        assertThat(rc.sampledOffset()).isEqualTo(2L);
        assertThat(rc.lagSeconds()).isEqualTo(age(auto, T0));
        PartitionLag ru = row(auto, "i-default", "i-t", 0);
        assertThat(ru.lagIsolation()).isEqualTo(Isolation.READ_UNCOMMITTED);
        assertThat(ru.lag()).isEqualTo(7);
        assertThat(ru.reportedLag()).isEqualTo(7);
        assertThat(value(auto, "kafka_consumergroup_group_lag", "i-committed")).isEqualTo(4.0);
        assertThat(value(auto, "kafka_consumergroup_group_lag", "i-default")).isEqualTo(7.0);

        // an explicit read_uncommitted is klag-compatible for every group: the group config is not read
        ClusterSnapshot uncommitted = collect(config, ExporterConfig.LagIsolation.READ_UNCOMMITTED);
        assertThat(row(uncommitted, "i-committed", "i-t", 0).lagIsolation()).isEqualTo(Isolation.READ_UNCOMMITTED);
        assertThat(value(uncommitted, "kafka_consumergroup_group_lag", "i-committed")).isEqualTo(7.0);
        // the group configs ride in the topics' DescribeConfigs request: no request more
        assertThat(auto.adminRequests()).isEqualTo(uncommitted.adminRequests());
    }

    @Test
    void underAutoAReadCommittedShareGroupsTimeLagSkipsAnAbortedBatchWhileOtherGroupsReadIt() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = abortedThenCommitted(broker, "j-log");
        TopicPartition tp = new TopicPartition("j-log", 0);
        ShareGroups.readCommitted(broker.admin(), "j-committed");
        ShareGroups.setStartOffsets(broker.admin(), "j-committed", Map.of(tp, 0L));
        ShareGroups.setStartOffsets(broker.admin(), "j-default", Map.of(tp, 0L));
        s.commit("j-reader", "j-log", 0, 0L);

        ClusterSnapshot auto = collect(config(broker.bootstrapServers(), "^j-", ""),
                ExporterConfig.LagIsolation.AUTO);

        assertThat(auto.errors()).isEmpty();
        PartitionLag rc = row(auto, "j-committed", "j-log", 0);
        assertThat(rc.lagIsolation()).isEqualTo(Isolation.READ_COMMITTED);
        assertThat(rc.sampledOffset()).isEqualTo(4L);
        assertThat(rc.sampledTimestamp()).isEqualTo(Instant.ofEpochMilli(T0 + 60_000));
        assertThat(rc.lagSeconds()).isEqualTo(age(auto, T0 + 60_000));
        // the same position, read as read_uncommitted consumers and share groups by default read it
        for (String group : List.of("j-default", "j-reader")) {
            PartitionLag ru = row(auto, group, "j-log", 0);
            assertThat(ru.lagIsolation()).isEqualTo(Isolation.READ_UNCOMMITTED);
            assertThat(ru.sampledOffset()).isEqualTo(0L);
            assertThat(ru.lagSeconds()).isEqualTo(age(auto, T0));
        }
        // offset 0 once per isolation: the two read_uncommitted groups share their sample
        assertThat(auto.sampling().requested()).isEqualTo(2);
        assertThat(auto.sampling().sampled()).isEqualTo(2);
    }

    @Test
    void aMemberlessShareGroupGetsTheBrokersLagFromItsStartOffset() {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("c-t", 1).produce("c-t", 0, 20, i -> T0 + i * 1000L);
        ShareGroups.setStartOffsets(broker.admin(), "c-idle", Map.of(new TopicPartition("c-t", 0), 5L));

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^c-", ""),
                ExporterConfig.LagIsolation.AUTO);

        assertThat(snap.errors()).isEmpty();
        PartitionLag r = row(snap, "c-idle", "c-t", 0);
        assertThat(r.groupType()).isEqualTo(GroupType.SHARE);
        assertThat(r.committedOffset()).isEqualTo(5L);
        assertThat(r.lag()).isEqualTo(15L);
        // 4.3.1 reports a lag for every share-partition it has state for; the computed fallback, on a broker
        // before KIP-1226, is OldBrokerShareLagTest's
        assertThat(r.lagSource()).isEqualTo(LagSource.BROKER);
        assertThat(r.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(r.sampledOffset()).isEqualTo(5L);
        assertThat(r.lagSeconds()).isEqualTo(age(snap, T0 + 5_000));
    }

    @Test
    void aStreamsGroupsRowsHaveItsCommittedOffsets() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Scenario s = broker.scenario();
        s.topic("st-in", 2).produce("st-in", 0, 10, i -> T0).produce("st-in", 1, 6, i -> T0);
        LagsnapConfig config = config(broker.bootstrapServers(), "^st-", "");

        try (StreamsApp app = StreamsApp.start(broker.clientConfig(), "st-app", "st-in", 16)) {
            ClusterSnapshot snap = collect(config, ExporterConfig.LagIsolation.AUTO);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // the app commits every 100 ms: wait for the commit that covers all 16 records
            while (snap.rows().stream().mapToLong(r -> r.committedOffset() == null ? 0 : r.committedOffset()).sum() < 16
                    && System.nanoTime() < until) {
                Thread.sleep(100);
                snap = collect(config, ExporterConfig.LagIsolation.AUTO);
            }

            assertThat(snap.errors()).isEmpty();
            assertThat(snap.rows()).extracting(PartitionLag::group, PartitionLag::groupType, PartitionLag::groupState,
                            PartitionLag::partition, PartitionLag::committedOffset, PartitionLag::lag)
                    .containsExactly(tuple("st-app", GroupType.STREAMS, GroupState.STABLE, 0, 10L, 0L),
                            tuple("st-app", GroupType.STREAMS, GroupState.STABLE, 1, 6L, 0L));
            assertThat(snap.groups()).containsExactly(
                    new GroupLag("st-app", GroupType.STREAMS, GroupState.STABLE, 0L, 0L, 0.0));
        }
    }

    private static double value(ClusterSnapshot s, String family, String group) {
        return byName(MetricFamilies.of(s)).get(family).stream()
                .filter(sample -> group.equals(sample.labels().get("group")))
                .findFirst().orElseThrow().value();
    }

    private static Map<String, List<MetricFamily.Sample>> byName(List<MetricFamily> families) {
        return families.stream().collect(java.util.stream.Collectors.toMap(MetricFamily::name,
                MetricFamily::samples));
    }
}
