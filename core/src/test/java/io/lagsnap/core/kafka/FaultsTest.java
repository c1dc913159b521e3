package io.lagsnap.core.kafka;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClassicGroupsOptions;
import org.apache.kafka.clients.admin.DescribeClassicGroupsResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListGroupsResult;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults on a real broker, timed between phases: the collector's Admin client is the real one, wrapped so a test
 * can delete a group or topic, or use up the deadline, right after a given phase answered.
 */
class FaultsTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static ClusterSnapshot collect(LagsnapConfig c, Deadline deadline, Hooks hooks) {
        return new KafkaCollector(c.clusters().get(0), c.exporter(), Shard.ALL, props -> new Between(props, hooks))
                .collect(deadline);
    }

    /** What to do to the cluster right after a phase answered. */
    static final class Hooks {
        Consumer<Admin> afterList = a -> { };
        Consumer<Admin> afterDescribe = a -> { };
        Consumer<Admin> afterOffsets = a -> { };
        Consumer<Admin> afterConfigs = a -> { };
    }

    @Test
    void aGroupDeletedBetweenListingAndOffsetFetchLeavesNoErrorForTheRest() {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("x1-t", 1).produce("x1-t", 0, 10, i -> 1_000L)
                .commitGroups(Map.of("x1-kept", Map.of(new TopicPartition("x1-t", 0), 4L),
                        "x1-doomed", Map.of(new TopicPartition("x1-t", 0), 2L)));
        Hooks deleteAfterListing = new Hooks();
        deleteAfterListing.afterList = a -> join(a.deleteConsumerGroups(List.of("x1-doomed")).all());

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^x1-", ""),
                Deadline.after(Duration.ofSeconds(30)), deleteAfterListing);

        assertThat(snap.up()).isTrue();
        assertThat(snap.errors()).isEmpty();
        assertThat(snap.rows()).extracting(PartitionLag::group, PartitionLag::lag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x1-kept", 6L));
        assertThat(snap.groups()).extracting(GroupLag::group).contains("x1-kept");
    }

    @Test
    void aTopicDeletedMidCycleLeavesNoErrorForTheRest() {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("x2-gone", 1).topic("x2-stays", 1)
                .produce("x2-gone", 0, 10, i -> 1_000L).produce("x2-stays", 0, 10, i -> 1_000L)
                .commit("x2-g", Map.of(new TopicPartition("x2-gone", 0), 1L, new TopicPartition("x2-stays", 0), 3L));
        Hooks deleteAfterOffsets = new Hooks();
        deleteAfterOffsets.afterOffsets = a -> join(a.deleteTopics(List.of("x2-gone")).all());

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^x2-", ""),
                Deadline.after(Duration.ofSeconds(30)), deleteAfterOffsets);

        assertThat(snap.up()).isTrue();
        assertThat(snap.errors()).isEmpty();
        assertThat(snap.rows()).extracting(PartitionLag::topic, PartitionLag::lag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x2-stays", 7L));
    }

    @Test
    void theDeadlineReachedBeforeSamplingDeliversFlaggedPartialRows() {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("x3-t", 1).produce("x3-t", 0, 10, i -> 1_000L).commit("x3-g", "x3-t", 0, 5L);
        Deadline deadline = Deadline.after(Duration.ofSeconds(4));
        Hooks slowConfigs = new Hooks();
        slowConfigs.afterConfigs = a -> {
            while (!deadline.expired()) {
                sleep(20);
            }
        };

        ClusterSnapshot snap = collect(config(broker.bootstrapServers(), "^x3-", ""), deadline, slowConfigs);

        assertThat(snap.up()).isTrue();
        assertThat(snap.partial()).isTrue();
        PartitionLag row = snap.rows().get(0);
        assertThat(row.lag()).isEqualTo(5);
        assertThat(row.lagSeconds()).isNull();
        assertThat(snap.phaseDurations()).doesNotContainKey(Phase.SAMPLING);
    }

    /** The real Admin client with hooks after the list, describe, offsets and configs phases. */
    static final class Between extends ForwardingAdmin {
        private final Hooks hooks;

        Between(Properties props, Hooks hooks) {
            super(toMap(props));
            this.hooks = hooks;
        }

        @Override
        public ListGroupsResult listGroups(ListGroupsOptions options) {
            ListGroupsResult r = super.listGroups(options);
            settle(r.all());
            hooks.afterList.accept(this);
            return r;
        }

        @Override
        public DescribeConsumerGroupsResult describeConsumerGroups(Collection<String> groupIds,
                                                                   DescribeConsumerGroupsOptions options) {
            DescribeConsumerGroupsResult r = super.describeConsumerGroups(groupIds, options);
            settle(r.all());
            hooks.afterDescribe.accept(this);
            return r;
        }

        @Override
        public DescribeClassicGroupsResult describeClassicGroups(Collection<String> groupIds,
                                                                 DescribeClassicGroupsOptions options) {
            DescribeClassicGroupsResult r = super.describeClassicGroups(groupIds, options);
            settle(r.all());
            hooks.afterDescribe.accept(this);
            return r;
        }

        @Override
        public ListConsumerGroupOffsetsResult listConsumerGroupOffsets(
                Map<String, ListConsumerGroupOffsetsSpec> specs, ListConsumerGroupOffsetsOptions options) {
            ListConsumerGroupOffsetsResult r = super.listConsumerGroupOffsets(specs, options);
            settle(r.all());
            hooks.afterOffsets.accept(this);
            return r;
        }

        @Override
        public DescribeConfigsResult describeConfigs(Collection<ConfigResource> resources,
                                                     DescribeConfigsOptions options) {
            DescribeConfigsResult r = super.describeConfigs(resources, options);
            settle(r.all());
            hooks.afterConfigs.accept(this);
            return r;
        }

        private static Map<String, Object> toMap(Properties props) {
            Map<String, Object> m = new HashMap<>();
            props.forEach((k, v) -> m.put(String.valueOf(k), v));
            return m;
        }
    }

    private static void join(org.apache.kafka.common.KafkaFuture<?> f) {
        try {
            f.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a phase's answer, failed or not: the collector, not the hook, deals with its errors. */
    private static void settle(org.apache.kafka.common.KafkaFuture<?> f) {
        try {
            f.get();
        } catch (Exception e) {
            // seen by the collector through the same future
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
