package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ScenarioTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private KafkaBroker broker;
    private Admin admin;
    private Scenario scenario;

    @BeforeEach
    void newScenario() {
        broker = KAFKA.broker();
        admin = broker.admin();
        scenario = broker.scenario();
    }

    @AfterEach
    void closeScenario() {
        scenario.close();
    }

    @Test
    void createsTopicsWithPartitionsAndConfigs() throws Exception {
        scenario.topic("plain", 3)
                .topic("appendtime", 1, Map.of("message.timestamp.type", "LogAppendTime"));

        assertThat(admin.describeTopics(List.of("plain")).allTopicNames().get().get("plain").partitions()).hasSize(3);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "appendtime");
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
    }

    @Test
    void producesRecordsAtExactOffsetsWithTheGivenTimestamps() {
        scenario.topic("produced", 2)
                .produce("produced", 1, 5, i -> 1_000_000L + i * 10)
                .produce("produced", 1, 1, i -> 42L, i -> "MARKER".getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<byte[], byte[]>> records = Records.read(broker, "produced", 1);
        assertThat(records).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(records).extracting(ConsumerRecord::timestamp)
                .containsExactly(1_000_000L, 1_000_010L, 1_000_020L, 1_000_030L, 1_000_040L, 42L);
        assertThat(records).extracting(ConsumerRecord::timestampType).containsOnly(TimestampType.CREATE_TIME);
        assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("value-0");
        assertThat(new String(records.get(5).value(), StandardCharsets.UTF_8)).isEqualTo("MARKER");
        assertThat(scenario.highWatermark("produced", 1)).isEqualTo(6);
        assertThat(scenario.highWatermark("produced", 0)).isZero();
    }

    @Test
    void logAppendTimeTopicsStampTheBrokerTime() {
        long start = System.currentTimeMillis();
        scenario.topic("stamped", 1, Map.of("message.timestamp.type", "LogAppendTime"))
                .produce("stamped", 0, 3, i -> 1L);

        assertThat(Records.read(broker, "stamped", 0)).allSatisfy(record -> {
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.timestamp()).isGreaterThanOrEqualTo(start);
        });
    }

    @Test
    void deletesRecordsUpToAnOffset() {
        scenario.topic("trimmed", 1)
                .produce("trimmed", 0, 10, i -> 1_000L + i)
                .deleteRecords("trimmed", 0, 4);

        assertThat(scenario.lowWatermark("trimmed", 0)).isEqualTo(4);
        assertThat(scenario.highWatermark("trimmed", 0)).isEqualTo(10);
        assertThat(Records.read(broker, "trimmed", 0)).extracting(ConsumerRecord::offset).startsWith(4L).hasSize(6);
    }

    @Test
    void openTransactionHoldsTheLastStableOffsetUntilCommitted() throws Exception {
        scenario.topic("txn", 1).produce("txn", 0, 3, i -> 1_000L);

        OpenTransaction transaction = scenario.openTransaction("txn", 0, 4, 2_000L);

        assertThat(transaction.firstOffset()).isEqualTo(3);
        assertThat(transaction.lastOffset()).isEqualTo(6);
        assertThat(scenario.highWatermark("txn", 0)).isEqualTo(7);
        assertThat(lastStableOffset("txn", 0)).isEqualTo(3);

        transaction.commit();

        // The commit marker takes offset 7.
        assertThat(scenario.highWatermark("txn", 0)).isEqualTo(8);
        assertThat(lastStableOffset("txn", 0)).isEqualTo(8);
        assertThat(Records.read(broker, "txn", 0, "read_committed")).extracting(ConsumerRecord::offset)
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void abortedTransactionTakesOffsetsButNoReadableRecords() throws Exception {
        scenario.topic("aborted", 1)
                .produce("aborted", 0, 2, i -> 1_000L)
                .abortedTransaction("aborted", 0, 5, 2_000L)
                .produce("aborted", 0, 1, i -> 3_000L);

        // 2 records, 5 aborted records, 1 abort marker, 1 record.
        assertThat(scenario.highWatermark("aborted", 0)).isEqualTo(9);
        assertThat(lastStableOffset("aborted", 0)).isEqualTo(9);
        assertThat(Records.read(broker, "aborted", 0, "read_committed")).extracting(ConsumerRecord::offset)
                .containsExactly(0L, 1L, 8L);
    }

    @Test
    void closingTheScenarioAbortsItsOpenTransactions() throws Exception {
        Scenario other = broker.scenario().topic("abandoned", 1);
        other.openTransaction("abandoned", 0, 2, 1_000L);

        other.close();

        assertThat(lastStableOffset("abandoned", 0)).isEqualTo(3);
    }

    @Test
    void compactsToTheLatestRecordPerKey() {
        scenario.compactedTopic("compacted", 1)
                .produceKeyed("compacted", 0, 100, i -> "key-" + (i % 10), i -> 1_000L + i)
                .compact("compacted", 0);

        List<ConsumerRecord<byte[], byte[]>> records = Records.read(broker, "compacted", 0);
        assertThat(records).extracting(ConsumerRecord::offset)
                .containsExactly(90L, 91L, 92L, 93L, 94L, 95L, 96L, 97L, 98L, 99L);
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("key-0");
        // Compaction removes records but moves neither watermark.
        assertThat(scenario.lowWatermark("compacted", 0)).isZero();
        assertThat(scenario.highWatermark("compacted", 0)).isEqualTo(100);
    }

    @Test
    void compactsAgainAfterMoreRecords() {
        scenario.compactedTopic("recompacted", 1)
                .produceKeyed("recompacted", 0, 4, i -> "key-" + (i % 2), i -> 1_000L)
                .compact("recompacted", 0)
                .produceKeyed("recompacted", 0, 2, i -> "key-0", i -> 2_000L)
                .compact("recompacted", 0)
                .compact("recompacted", 0);

        assertThat(Records.read(broker, "recompacted", 0)).extracting(ConsumerRecord::offset)
                .containsExactly(3L, 5L);
    }

    private long lastStableOffset(String topic, int partition) throws Exception {
        TopicPartition tp = new TopicPartition(topic, partition);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .partitionResult(tp).get().offset();
    }
}
