package io.lagsnap.core.sampling;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.kafka.KafkaCollector;
import io.lagsnap.core.kafka.TimestampSampler;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.format.RowJson;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.SamplingStats;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.OpenTransaction;
import io.lagsnap.testkit.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Time lag read from record timestamps on a real in-process broker. Records carry explicit timestamps, so every
 * lag_seconds is asserted to the millisecond: the snapshot time minus the sampled record's timestamp. The snapshot
 * time itself is bracketed by the wall clock around the run, so each value is also checked against the record's
 * age as the test wrote it, give or take only the test's own running time.
 */
class TimeLagTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final long MINUTE = 60_000;

    /** Each test's wall-clock start: record timestamps are set relative to it. */
    private final long start = System.currentTimeMillis();

    @Test
    void idleProducerNewestMessageTenMinutesOldGivesItsAgeNotZero() {
        long base = start - 10 * MINUTE;
        // ten records, one a second, the newest exactly ten minutes old; then nothing
        scenario().topic("idle", 1).produce("idle", 0, 10, i -> base - (9 - i) * 1000L)
                .commit("idle-stuck", "idle", 0, 9L)
                .commit("idle-behind", "idle", 0, 5L)
                .commit("idle-done", "idle", 0, 10L);

        Run run = Run.of("^idle-", "");

        assertAge(run, run.row("idle-stuck", "idle", 0), 9, base, 600);
        assertAge(run, run.row("idle-behind", "idle", 0), 5, base - 4000, 604);
        PartitionLag done = run.row("idle-done", "idle", 0);
        assertThat(done.lag()).isZero();
        assertThat(done.lagSeconds()).isEqualTo(0.0);
        assertThat(done.sampledOffset()).isNull();
        assertThat(run.snap.sampling()).extracting(SamplingStats::requested, SamplingStats::sampled,
                SamplingStats::missed, SamplingStats::clockSkewed).containsExactly(2L, 2L, 0L, 0L);
    }

    @Test
    void busyProducerSamplesTheRecordsAtTheCommittedOffsetsWhileWritesGoOn() throws Exception {
        long base = start - 5 * MINUTE;
        scenario().topic("busy", 1).produce("busy", 0, 2000, i -> base + i)
                .commit("busy-far", "busy", 0, 1000L)
                .commit("busy-near", "busy", 0, 2000L);
        AtomicBoolean stop = new AtomicBoolean();
        Scenario writer = scenario();
        long producing = System.currentTimeMillis();
        Thread producer = new Thread(() -> {
            while (!stop.get()) {
                writer.produce("busy", 0, 20, i -> System.currentTimeMillis());
            }
        });
        producer.start();
        while (writer.highWatermark("busy", 0) == 2000) {
            Thread.sleep(10); // the live producer's first records are in before the snapshot is taken
        }
        Run run;
        try {
            run = Run.of("^busy-", "");
        } finally {
            stop.set(true);
            producer.join();
        }

        PartitionLag far = run.row("busy-far", "busy", 0);
        assertThat(far.highWatermark()).isGreaterThan(2000);
        assertAge(run, far, 1000, base + 1000, 299);
        // the first record the live producer wrote, before the snapshot: never in the future
        PartitionLag near = run.row("busy-near", "busy", 0);
        assertThat(near.sampledOffset()).isEqualTo(2000);
        assertThat(near.sampledTimestamp()).isBetween(Instant.ofEpochMilli(producing), run.snap.time());
        assertThat(near.lagSeconds())
                .isEqualTo((run.snap.time().toEpochMilli() - near.sampledTimestamp().toEpochMilli()) / 1000.0);
        assertThat(run.snap.sampling().clockSkewed()).isZero();
    }

    @Test
    void compactedTopicSamplesTheNextSurvivingRecord() {
        long base = start - 30 * MINUTE;
        // keys k0..k4 five times over: compaction keeps only offsets 15..19
        scenario().compactedTopic("cmp", 1).produceKeyed("cmp", 0, 20, i -> "k" + (i % 5), i -> base + i * 1000L)
                .compact("cmp", 0)
                .commit("cmp-reader", "cmp", 0, 3L)
                .commit("cmp-kept", "cmp", 0, 17L);

        Run run = Run.of("^cmp-", "");

        PartitionLag removed = run.row("cmp-reader", "cmp", 0);
        assertThat(removed.lag()).isEqualTo(17);
        assertAge(run, removed, 15, base + 15_000, 1785);
        assertThat(removed.compactionDetected()).isTrue();
        PartitionLag kept = run.row("cmp-kept", "cmp", 0);
        assertAge(run, kept, 17, base + 17_000, 1783);
        // compaction_detected follows the topic's cleanup.policy, not whether a gap was hit
        assertThat(kept.compactionDetected()).isTrue();
    }

    @Test
    void openTransactionAtTheCommittedOffsetIsReadNotWaitedFor() {
        long base = start - 20 * MINUTE;
        Scenario s = scenario().topic("txo", 1).produce("txo", 0, 5, i -> base);
        try (OpenTransaction open = s.openTransaction("txo", 0, 3, base + 60_000)) {
            assertThat(open.firstOffset()).isEqualTo(5);
            s.commit("txo-reader", "txo", 0, 5L);

            Run run = Run.of("^txo-", "fetch_timeout = \"20s\"");

            PartitionLag row = run.row("txo-reader", "txo", 0);
            assertThat(row.highWatermark()).isEqualTo(8);
            assertAge(run, row, 5, base + 60_000, 1140);
            assertThat(run.snap.sampling().missed()).isZero();
            // read_uncommitted: the open transaction never held the sampler until its budget ran out
            assertThat(run.after - run.before).isLessThan(15_000);
        }
    }

    @Test
    void abortedTransactionAndTransactionMarkers() {
        long base = start - 40 * MINUTE;
        Scenario s = scenario().topic("txa", 1)
                .produce("txa", 0, 2, i -> base)                 // offsets 0, 1
                .abortedTransaction("txa", 0, 3, base + 60_000)  // aborted 2, 3, 4; abort marker 5
                .produce("txa", 0, 2, i -> base + 120_000);      // offsets 6, 7
        s.commit("txa-aborted", "txa", 0, 2L).commit("txa-marker", "txa", 0, 5L);
        // a committed transaction at the end of the log: records 0..2, commit marker 3, high watermark 4
        s.topic("txe", 1).openTransaction("txe", 0, 3, base).commit();
        s.commit("txa-eos-caught-up", "txe", 0, 3L);

        Run run = Run.of("^txa-", "");

        // aborted records are still in the log and read_uncommitted returns them: their age is the time lag
        assertAge(run, run.row("txa-aborted", "txa", 0), 2, base + 60_000, 2340);
        // a marker is never returned: the first record after it is sampled, and the row says so
        PartitionLag marker = run.row("txa-marker", "txa", 0);
        assertThat(marker.lag()).isEqualTo(3);
        assertAge(run, marker, 6, base + 120_000, 2280);
        // only the commit marker is left: one offset of lag, nothing to consume, no waiting
        PartitionLag eos = run.row("txa-eos-caught-up", "txe", 0);
        assertThat(eos.highWatermark()).isEqualTo(4);
        assertThat(eos.lag()).isEqualTo(1);
        assertThat(eos.lagSeconds()).isEqualTo(0.0);
        assertThat(eos.sampledOffset()).isEqualTo(4);
        assertThat(eos.sampledTimestamp()).isNull();
        assertThat(run.snap.sampling()).extracting(SamplingStats::requested, SamplingStats::sampled)
                .containsExactly(3L, 3L);
        assertThat(run.snap.errors()).isEmpty();
    }

    @Test
    void logAppendTimeTopicGivesTheBrokersTimeCreateTimeTopicTheProducers() {
        long ancient = start - 24 * 60 * MINUTE;
        long beforeAppend = System.currentTimeMillis();
        scenario().topic("lat", 1, Map.of("message.timestamp.type", "LogAppendTime"))
                .topic("ct", 1, Map.of("message.timestamp.type", "CreateTime"))
                .produce("lat", 0, 3, i -> ancient).produce("ct", 0, 3, i -> ancient)
                .commit("ts-append", "lat", 0, 1L).commit("ts-create", "ct", 0, 1L);
        long afterAppend = System.currentTimeMillis();

        Run run = Run.of("^ts-", "");

        PartitionLag append = run.row("ts-append", "lat", 0);
        assertThat(append.sampledOffset()).isEqualTo(1);
        assertThat(append.sampledTimestamp()).isBetween(Instant.ofEpochMilli(beforeAppend),
                Instant.ofEpochMilli(afterAppend));
        assertThat(append.lagSeconds())
                .isEqualTo((run.snap.time().toEpochMilli() - append.sampledTimestamp().toEpochMilli()) / 1000.0);
        assertAge(run, run.row("ts-create", "ct", 0), 1, ancient, 86_400);
    }

    @Test
    void futureTimestampGivesZeroAndIsCountedAsClockSkew() {
        long future = start + 60 * MINUTE;
        scenario().topic("skew", 1).produce("skew", 0, 2, i -> future).commit("skew-reader", "skew", 0, 0L);

        Run run = Run.of("^skew-", "");

        PartitionLag row = run.row("skew-reader", "skew", 0);
        assertThat(row.lag()).isEqualTo(2);
        assertThat(row.sampledTimestamp()).isEqualTo(Instant.ofEpochMilli(future));
        assertThat(row.lagSeconds()).isEqualTo(0.0);
        assertThat(run.snap.sampling().clockSkewed()).isEqualTo(1);
    }

    @Test
    void dataLossSamplesTheLowWatermarkUnlessSkipped() {
        long base = start - 50 * MINUTE;
        scenario().topic("loss", 1).produce("loss", 0, 100, i -> base + i * 1000L).deleteRecords("loss", 0, 30)
                .topic("gone", 1).produce("gone", 0, 10, i -> base).deleteRecords("gone", 0, 10)
                .commit("loss-behind", "loss", 0, 10L)
                .commit("loss-everything", "gone", 0, 5L);

        Run run = Run.of("^loss-", "");

        PartitionLag behind = run.row("loss-behind", "loss", 0);
        assertThat(behind.dataLossDetected()).isTrue();
        assertThat(behind.lag()).isEqualTo(90);
        assertAge(run, behind, 30, base + 30_000, 2970);
        // everything was deleted: nothing left to consume
        PartitionLag everything = run.row("loss-everything", "gone", 0);
        assertThat(everything.dataLossDetected()).isTrue();
        assertThat(everything.lag()).isEqualTo(5);
        assertThat(everything.lagSeconds()).isEqualTo(0.0);
        assertThat(everything.sampledOffset()).isEqualTo(10);

        Run skipped = Run.of("^loss-", "skip_data_loss_partitions = true");

        PartitionLag unsampled = skipped.row("loss-behind", "loss", 0);
        assertThat(unsampled.dataLossDetected()).isTrue();
        assertThat(unsampled.lagSeconds()).isNull();
        assertThat(unsampled.sampledOffset()).isNull();
        assertThat(skipped.snap.sampling()).isEqualTo(SamplingStats.NONE);
        assertThat(lagSecondsSeries(skipped.snap)).isEmpty();
    }

    @Test
    void fiftyGroupsAtOneOffsetShareOneSample() {
        long base = start - 3 * MINUTE;
        Map<String, Map<TopicPartition, Long>> groups = new HashMap<>();
        for (int g = 0; g < 50; g++) {
            groups.put("share-" + g, Map.of(new TopicPartition("share", 0), 4L));
        }
        scenario().topic("share", 1).produce("share", 0, 10, i -> base + i * 1000L).commitGroups(groups);

        Run run = Run.of("^share-", "");

        assertThat(run.snap.rows()).hasSize(50);
        for (PartitionLag row : run.snap.rows()) {
            assertAge(run, row, 4, base + 4000, 176);
        }
        assertThat(run.snap.sampling()).extracting(SamplingStats::requested, SamplingStats::sampled)
                .containsExactly(1L, 1L);
    }

    @Test
    void groupsAtManyOffsetsOfOnePartitionReuseTheFetchedBatches() {
        long base = start - 7 * MINUTE;
        Map<String, Map<TopicPartition, Long>> groups = new HashMap<>();
        for (int g = 0; g < 500; g++) {
            groups.put("spread-" + g, Map.of(new TopicPartition("spread", 0), (long) g * 2));
        }
        scenario().topic("spread", 1).produce("spread", 0, 1000, i -> base + i).commitGroups(groups);

        Run run = Run.of("^spread-", "");

        for (int g = 0; g < 500; g++) {
            assertAge(run, run.row("spread-" + g, "spread", 0), g * 2L, base + g * 2L, 420 - g * 0.002);
        }
        assertThat(run.snap.sampling().requested()).isEqualTo(500);
        assertThat(run.fetches()).isBetween(1L, 10L);
    }

    /** Counted at the broker: sampling 1,000 partitions costs a few Fetch requests, not one per partition. */
    @Test
    void thousandPartitionsCostAFewFetchRequests() {
        long base = start - 2 * MINUTE;
        Scenario s = scenario().topic("wide", 1000);
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (int p = 0; p < 1000; p++) {
            s.produce("wide", p, 3, i -> base + i * 1000L);
            committed.put(new TopicPartition("wide", p), 1L);
        }
        s.commit("wide-reader", committed);

        Run run = Run.of("^wide-", "");

        assertThat(run.snap.rows()).hasSize(1000);
        run.snap.rows().forEach(row -> assertAge(run, row, 1, base + 1000, 119));
        assertThat(run.snap.sampling().requested()).isEqualTo(1000);
        assertThat(run.fetches()).isBetween(1L, 10L);
        assertThat(run.snap.sampling().fetchRequests()).isBetween(1L, 10L);
    }

    /**
     * Batches larger than the narrow per-partition fetch size come back empty unless first in the response, one per
     * round trip; the sampler notices and moves them to its wide consumer instead.
     */
    @Test
    void largeBatchesDoNotCostOneFetchPerPartition() {
        long base = start - MINUTE;
        Scenario s = scenario().topic("big", 30);
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (int p = 0; p < 30; p++) {
            s.produce("big", p, 1, i -> base, i -> new byte[200 * 1024]).produce("big", p, 2, i -> base + 1000);
            committed.put(new TopicPartition("big", p), 0L);
        }
        s.commit("big-reader", committed);

        Run run = Run.of("^big-", "");

        run.snap.rows().forEach(row -> assertAge(run, row, 0, base, 60));
        assertThat(run.snap.sampling().sampled()).isEqualTo(30);
        assertThat(run.fetches()).isBetween(1L, 8L);
    }

    @Test
    void lagsnapCreatesNoConsumerGroup() throws Exception {
        scenario().topic("nogroup", 2).produce("nogroup", 0, 5, i -> 1_000L).produce("nogroup", 1, 5, i -> 1_000L)
                .commit("nogroup-reader", Map.of(new TopicPartition("nogroup", 0), 1L,
                        new TopicPartition("nogroup", 1), 2L));
        Set<String> before = groupIds();

        Run run = Run.of("^nogroup-", "");

        assertThat(run.snap.sampling().sampled()).isEqualTo(2);
        assertThat(run.fetches()).isPositive();
        assertThat(groupIds()).isEqualTo(before);
    }

    @Test
    void payloadsNeverReachTheSnapshot() throws IOException {
        String valueMarker = "VALUE-MARKER-7f3a9c";
        String keyMarker = "KEY-MARKER-51d2e8";
        scenario().topic("secret", 1)
                .produce("secret", 0, 5, i -> 1_000L, i -> (valueMarker + i).getBytes(StandardCharsets.UTF_8))
                .produceKeyed("secret", 0, 5, i -> keyMarker + i, i -> 2_000L)
                .commit("secret-reader", "secret", 0, 2L).commit("secret-later", "secret", 0, 7L);

        Run run = Run.of("^secret-", "");

        assertThat(run.snap.sampling().sampled()).isEqualTo(2);
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        RowJson.write(run.snap, rows);
        String everything = rows.toString(StandardCharsets.UTF_8) + MetricFamilies.of(run.snap) + run.snap;
        assertThat(everything).contains("\"sampled_offset\":2", "\"sampled_offset\":7")
                .doesNotContain("VALUE-MARKER", "KEY-MARKER");
    }

    @Test
    void spentBudgetLeavesLagSecondsNullAndCountsEachMiss() {
        scenario().topic("budget", 1).produce("budget", 0, 5, i -> 1_000L)
                .commit("budget-behind", "budget", 0, 1L).commit("budget-done", "budget", 0, 5L);

        // 1 ms is below the loader's 10 ms minimum, so it is set on the loaded config: no fetch can finish in it
        Run run = Run.of("^budget-", "", sampling -> new ExporterConfig.TimestampSampling(sampling.enabled(),
                Duration.ofMillis(1), sampling.maxPartitionsPerWave(), sampling.skipDataLossPartitions()));

        assertThat(run.snap.up()).isTrue();
        assertThat(run.row("budget-behind", "budget", 0).lagSeconds()).isNull();
        assertThat(run.row("budget-done", "budget", 0).lagSeconds()).isEqualTo(0.0);
        assertThat(run.snap.sampling()).extracting(SamplingStats::requested, SamplingStats::sampled,
                SamplingStats::missed).containsExactly(1L, 0L, 1L);
        assertThat(run.snap.errors()).extracting(ItemError::phase, ItemError::item, ItemError::kind)
                .containsExactly(tuple(Phase.SAMPLING, "budget-0@1", ErrorKind.TIMEOUT));
        // no series for the unknown time lag, the 0 of the caught-up group stays
        assertThat(lagSecondsSeries(run.snap)).containsExactly(0.0);
    }

    /** A partition no broker serves fails alone, with a counted error; the other partitions are sampled. */
    @Test
    void unservedPartitionFailsAloneWithinTheBudget() {
        scenario().topic("served", 1).produce("served", 0, 3, i -> 5_000L + i);
        TopicPartition served = new TopicPartition("served", 0);
        TopicPartition ghost = new TopicPartition("no-such-topic", 0);
        Properties client = new Properties();
        client.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
        Map<TopicPartition, long[]> wanted = Map.of(served, new long[] {1}, ghost, new long[] {0});

        TimestampSampler.Result result = new TimestampSampler(client, 100)
                .sample(wanted, Map.of(served, 3L, ghost, 10L), Deadline.after(Duration.ofSeconds(2)));

        assertThat(result.samples().size()).isEqualTo(1);
        assertThat(result.samples().get(served, 1)).isEqualTo(new TimestampSampler.Sample(1, 5_001L));
        assertThat(result.errors()).extracting(ItemError::item, ItemError::kind)
                .containsExactly(tuple("no-such-topic-0@0", ErrorKind.TIMEOUT));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Scenario scenario() {
        return KAFKA.broker().scenario();
    }

    private static Set<String> groupIds() throws ExecutionException, InterruptedException {
        return KAFKA.broker().admin().listGroups().all().get().stream().map(GroupListing::groupId)
                .collect(Collectors.toSet());
    }

    private static List<Double> lagSecondsSeries(ClusterSnapshot snap) {
        return MetricFamilies.of(snap).stream().filter(f -> f.name().equals("kafka_consumergroup_group_lag_seconds"))
                .flatMap(f -> f.samples().stream()).map(MetricFamily.Sample::value).toList();
    }

    /**
     * The row sampled the record at {@code offset} whose timestamp is {@code timestampMs}, and lag_seconds is the
     * snapshot time minus that timestamp, to the millisecond. {@code nominalSeconds}, the record's age when the test
     * started, is exceeded by no more than the test's wall time up to the end of the run.
     */
    private void assertAge(Run run, PartitionLag row, long offset, long timestampMs, double nominalSeconds) {
        assertThat(row.sampledOffset()).as("sampled offset of %s", row).isEqualTo(offset);
        assertThat(row.sampledTimestamp()).isEqualTo(Instant.ofEpochMilli(timestampMs));
        assertThat(row.lagSeconds()).isEqualTo((run.snap.time().toEpochMilli() - timestampMs) / 1000.0);
        assertThat(row.lagSeconds()).isBetween(nominalSeconds - 0.001, nominalSeconds + (run.after - start) / 1000.0);
    }

    /** One collection of the groups matching a regex, with the wall clock and the broker's Fetch count around it. */
    private record Run(ClusterSnapshot snap, long before, long after, Map<String, Long> requests) {
        static Run of(String groupRegex, String samplingToml) {
            return of(groupRegex, samplingToml, UnaryOperator.identity());
        }

        static Run of(String groupRegex, String samplingToml, UnaryOperator<ExporterConfig.TimestampSampling> change) {
            KafkaBroker broker = KAFKA.broker();
            LagsnapConfig c = config(broker.bootstrapServers(), groupRegex,
                    "[exporter.timestamp_sampling]\n" + samplingToml);
            ExporterConfig e = c.exporter();
            ExporterConfig exporter = new ExporterConfig(e.granularity(), e.lagIsolation(),
                    change.apply(e.timestampSampling()), e.performance());
            Map<String, Long> counts = broker.requestCounts();
            long before = System.currentTimeMillis();
            ClusterSnapshot snap = new KafkaCollector(c.clusters().get(0), exporter, Shard.ALL)
                    .collect(Deadline.after(Duration.ofSeconds(30)));
            long after = System.currentTimeMillis();
            assertThat(snap.up()).isTrue();
            assertThat(snap.time()).isBetween(Instant.ofEpochMilli(before), Instant.ofEpochMilli(after));
            return new Run(snap, before, after, broker.requestCountsSince(counts));
        }

        /** Fetch requests from consumers, as the broker counted them (no replication runs on one broker). */
        long fetches() {
            return requests.getOrDefault("FetchConsumer", 0L);
        }

        PartitionLag row(String group, String topic, int partition) {
            return snap.rows().stream()
                    .filter(r -> r.group().equals(group) && r.topic().equals(topic) && r.partition() == partition)
                    .findFirst().orElseThrow(() -> new AssertionError("no row " + group + " " + topic + "-" + partition));
        }
    }
}
