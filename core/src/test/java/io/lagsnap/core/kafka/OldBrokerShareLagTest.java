package io.lagsnap.core.kafka;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.LagSource;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.OldKafkaBroker;
import io.lagsnap.testkit.ShareGroups;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Share-group lag on a broker that does not count it: Kafka before 4.2 answers DescribeShareGroupOffsets with
 * version 0, which has no Lag field (KIP-1226 added it in version 1, Kafka 4.2.0). The 4.3.1 clients (Admin and
 * share consumer) talk to that broker; lagsnap computes the lag as high watermark minus start offset.
 */
class OldBrokerShareLagTest {
    private static final long T0 = 1_700_000_000_000L;
    private static OldKafkaBroker broker;

    @BeforeAll
    static void start() throws IOException {
        broker = OldKafkaBroker.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (broker != null) {
            broker.close();
        }
    }

    private static ClusterSnapshot collect(String groupRegex) {
        LagsnapConfig config = config(broker.bootstrapServers(), groupRegex, "");
        return new KafkaCollector(config.clusters().get(0), config.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
    }

    /** A one-partition topic with {@code count} records, record i stamped T0 + i seconds. */
    private static TopicPartition topicWithRecords(String topic, int count) throws Exception {
        broker.admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, T0 + i * 1000L, null, new byte[] {(byte) i}));
            }
            producer.flush();
        }
        return new TopicPartition(topic, 0);
    }

    private static SharePartitionOffsetInfo offsetInfo(Admin admin, String group, TopicPartition tp)
            throws Exception {
        return admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS).get(tp);
    }

    private static PartitionLag row(ClusterSnapshot s, String group) {
        return s.rows().stream().filter(r -> r.group().equals(group)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + group + " in " + s.rows()));
    }

    /** Seconds from a record timestamp to the snapshot time, as the lag math computes them. */
    private static double age(ClusterSnapshot s, long timestampMs) {
        return (s.time().toEpochMilli() - timestampMs) / 1000.0;
    }

    @Test
    void aShareGroupWithAcknowledgementsGetsTheHighWatermarkMinusItsStartOffset() throws Exception {
        TopicPartition tp = topicWithRecords("o-t", 20);
        ShareGroups.startAtEarliest(broker.admin(), "o-group");

        try (ShareGroups.Member member = ShareGroups.Member.accepting(broker.clientConfig(), "o-group",
                List.of("o-t"), 8, Duration.ofSeconds(30))) {
            assertThat(member.accepted()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            SharePartitionOffsetInfo info = offsetInfo(broker.admin(), "o-group", tp);
            // the old broker's version-0 answer has no Lag: the 4.3.1 Admin reads the field's default -1 as empty
            assertThat(info.lag()).isEmpty();
            long start = info.startOffset();
            // the start offset moves when the broker persists the share-partition state, so it is read, not assumed
            assertThat(start).isBetween(0L, 8L);

            ClusterSnapshot snap = collect("^o-");

            assertThat(snap.errors()).isEmpty();
            PartitionLag r = row(snap, "o-group");
            assertThat(r.groupType()).isEqualTo(GroupType.SHARE);
            assertThat(r.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(r.committedOffset()).isEqualTo(start);
            assertThat(r.highWatermark()).isEqualTo(20L);
            assertThat(r.lag()).isEqualTo(20L - start);
            assertThat(r.lagSource()).isEqualTo(LagSource.COMPUTED);
            assertThat(r.sampledOffset()).isEqualTo(start);
            assertThat(r.lagSeconds()).isEqualTo(age(snap, T0 + start * 1000L));
            assertThat(snap.groups()).containsExactly(new GroupLag("o-group", GroupType.SHARE, GroupState.STABLE,
                    20L - start, 20L - start, age(snap, T0 + start * 1000L)));
        }
    }

    @Test
    void aShareGroupWhoseMemberLeftGetsTheHighWatermarkMinusTheStartOffsetItLeftAt() throws Exception {
        TopicPartition tp = topicWithRecords("m-t", 20);
        ShareGroups.startAtEarliest(broker.admin(), "m-left");
        // the member accepts record 0; closing releases the records it still held, and the broker persists the
        // share-partition state with start offset 1
        try (ShareGroups.Member member = ShareGroups.Member.accepting(broker.clientConfig(), "m-left",
                List.of("m-t"), 1, Duration.ofSeconds(30))) {
            assertThat(member.accepted()).containsExactly(0L);
        }
        SharePartitionOffsetInfo info = offsetInfo(broker.admin(), "m-left", tp);
        assertThat(info.startOffset()).isEqualTo(1L);
        assertThat(info.lag()).isEmpty();

        ClusterSnapshot snap = collect("^m-");

        assertThat(snap.errors()).isEmpty();
        PartitionLag r = row(snap, "m-left");
        assertThat(r.groupType()).isEqualTo(GroupType.SHARE);
        assertThat(r.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(r.committedOffset()).isEqualTo(1L);
        assertThat(r.lag()).isEqualTo(19L);
        assertThat(r.lagSource()).isEqualTo(LagSource.COMPUTED);
        assertThat(r.sampledOffset()).isEqualTo(1L);
        assertThat(r.lagSeconds()).isEqualTo(age(snap, T0 + 1_000));
    }
}
