package io.lagsnap.core.kafka;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broker of a 3-broker cluster stopped in the middle of a cycle, right after a phase answered (through
 * {@link FaultsTest.Between}). Every topic, {@code __consumer_offsets} included, has 3 replicas, so leadership and
 * group coordination move to a surviving broker; the Admin client retries what the stopped broker no longer serves
 * (disconnects, NOT_LEADER_OR_FOLLOWER, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS are retriable) until
 * its timeout, which the deadline bounds. The stop is the test kit's controlled shutdown, as in a rolling restart or
 * a drained node.
 */
class BrokerLossTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.cluster(3, Map.of());

    private static final long NOW = System.currentTimeMillis();
    private final AtomicInteger stopped = new AtomicInteger(-1);

    @AfterEach
    void restartTheStoppedBroker() {
        int id = stopped.getAndSet(-1);
        if (id >= 0) {
            KAFKA.broker().startBroker(id);
        }
    }

    private static ClusterSnapshot collect(LagsnapConfig c, FaultsTest.Hooks hooks) {
        return new KafkaCollector(c.clusters().get(0), c.exporter(), Shard.ALL,
                props -> new FaultsTest.Between(props, hooks)).collect(Deadline.after(Duration.ofSeconds(40)));
    }

    /** Six partitions, ten records each (record i written at NOW - (10 - i) s); the group committed offset 4. */
    private static void workload(KafkaBroker broker, String topic, String group) {
        var scenario = broker.scenario().topic(topic, 6);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (int p = 0; p < 6; p++) {
            scenario.produce(topic, p, 10, i -> NOW - (10 - i) * 1_000L);
            offsets.put(new TopicPartition(topic, p), 4L);
        }
        scenario.commit(group, offsets);
    }

    @Test
    void aPartitionLeaderStoppedAfterTheOffsetsPhaseStillGivesEveryRowWithItsTimeLag() {
        KafkaBroker broker = KAFKA.broker();
        workload(broker, "bl-t", "bl-g");
        int leader = leaderOf(broker.admin(), "bl-t", 0);
        FaultsTest.Hooks stopLeader = new FaultsTest.Hooks();
        stopLeader.afterOffsets = a -> stop(broker, leader);

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^bl-", ""), stopLeader);

        assertThat(stopped.get()).isEqualTo(leader);
        assertThat(leaderOf(broker.admin(), "bl-t", 0)).isNotEqualTo(leader);
        assertThat(snap.up()).isTrue();
        assertThat(snap.errors()).isEmpty();
        assertThat(snap.partial()).isFalse();
        assertThat(snap.rows()).hasSize(6).allSatisfy(row -> {
            assertThat(row.committedOffset()).isEqualTo(4);
            assertThat(row.highWatermark()).isEqualTo(10);
            assertThat(row.lag()).isEqualTo(6);
            // the oldest unconsumed record (offset 4) was written 6 s before NOW
            assertThat(row.sampledOffset()).isEqualTo(4L);
            assertThat(row.sampledTimestamp().toEpochMilli()).isEqualTo(NOW - 6_000L);
        });
        assertThat(snap.sampling().sampled()).isEqualTo(6);
    }

    @Test
    void theGroupCoordinatorStoppedBeforeTheOffsetsPhaseFailsOverAndTheOffsetsStillArrive() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        workload(broker, "bc-t", "bc-g");
        int coordinator = coordinatorOf(broker.admin(), "bc-g");
        FaultsTest.Hooks stopCoordinator = new FaultsTest.Hooks();
        stopCoordinator.afterDescribe = a -> stop(broker, coordinator);

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^bc-", ""), stopCoordinator);

        assertThat(stopped.get()).isEqualTo(coordinator);
        assertThat(coordinatorOf(broker.admin(), "bc-g")).isNotEqualTo(coordinator);
        assertThat(snap.up()).isTrue();
        assertThat(snap.errors()).isEmpty();
        assertThat(snap.partial()).isFalse();
        assertThat(snap.rows()).extracting(PartitionLag::partition).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(snap.rows()).allSatisfy(row -> {
            assertThat(row.committedOffset()).isEqualTo(4);
            assertThat(row.lag()).isEqualTo(6);
        });
        assertThat(snap.phaseDurations()).containsKeys(Phase.DESCRIBE, Phase.OFFSETS, Phase.WATERMARKS, Phase.SAMPLING);
    }

    /**
     * A partition whose only replica is on the stopped broker has no leader to fail over to: ListOffsets is retried
     * until kafka_timeout, then that partition is a timeout error while every other row is delivered exact.
     */
    @Test
    void aPartitionLeftWithoutAnyLeaderTimesOutAloneAndTheRestIsDelivered() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        int lonelyHost = 2;
        broker.admin().createTopics(List.of(new NewTopic("bo-lonely", Map.of(0, List.of(lonelyHost))))).all().get();
        TopicPartition lonely = new TopicPartition("bo-lonely", 0);
        awaitLeader(broker.admin(), lonely);
        var scenario = broker.scenario().topic("bo-t", 1);
        scenario.produce("bo-lonely", 0, 10, i -> NOW).produce("bo-t", 0, 10, i -> NOW)
                .commit("bo-g", Map.of(lonely, 4L, new TopicPartition("bo-t", 0), 4L));
        FaultsTest.Hooks stopTheOnlyReplica = new FaultsTest.Hooks();
        stopTheOnlyReplica.afterOffsets = a -> stop(broker, lonelyHost);
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [exporter]
                granularity = "partition"
                [exporter.performance]
                kafka_timeout = "3s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^bo-"]
                """.formatted(broker.bootstrapServers()), "test.toml");

        ClusterSnapshot snap = collect(config, stopTheOnlyReplica);

        assertThat(snap.up()).isTrue();
        assertThat(snap.partial()).isFalse();
        assertThat(snap.rows()).extracting(PartitionLag::topic, PartitionLag::lag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bo-t", 6L));
        assertThat(snap.errors()).extracting(ItemError::phase, ItemError::item, ItemError::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Phase.WATERMARKS, "bo-lonely-0", ErrorKind.TIMEOUT));
    }

    private void stop(KafkaBroker broker, int id) {
        stopped.set(id);
        broker.shutdownBroker(id);
    }

    private static int leaderOf(Admin admin, String topic, int partition) {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            TopicPartitionInfo info = d.partitions().get(partition);
            assertThat(info.replicas()).hasSize(3);
            return info.leader().id();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ListOffsets answers once every broker knows the new topic and its partition has a leader. */
    private static void awaitLeader(Admin admin, TopicPartition tp) throws InterruptedException {
        long until = System.nanoTime() + 15_000_000_000L;
        while (true) {
            try {
                admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(tp + " has no leader", e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static int coordinatorOf(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().coordinator().id();
    }
}
