package io.lagsnap.core.kafka;

import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.Watermarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClassicGroupsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeShareGroupsOptions;
import org.apache.kafka.clients.admin.DescribeStreamsGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListStreamsGroupOffsetsSpec;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every Admin call of a cycle, each one batched across all groups or partitions so a cycle costs the same number
 * of round trips (per broker) for 2 groups or 2,000. Results come back per item; failed items become
 * {@link ItemError}s and the rest goes on.
 *
 * <p>Calls that need nothing from each other are issued together and gathered later ({@link InFlight}). Kafka's
 * Admin client keeps one request in flight per broker connection, so such calls go to different Admin clients, the
 * cycle's {@value #LANES} lanes: lane 0 lists, describes and reads the low watermarks; lane 1 reads the committed
 * offsets, then the high watermarks; lane 2 the last stable offsets; lane 3 the topic configs.
 */
final class AdminCalls {
    /** The most calls a cycle has in flight together: three ListOffsets and one DescribeConfigs. */
    static final int LANES = 4;
    /** The protocol type of classic consumer groups (Connect's workers use "connect"). */
    private static final String CONSUMER_PROTOCOL = "consumer";
    private final List<Admin> lanes;
    private final ExporterConfig.Performance performance;
    private final Deadline deadline;
    private final List<ItemError> errors;

    /** @param lanes {@value #LANES} Admin clients of the cluster, each with its own connections */
    AdminCalls(List<Admin> lanes, ExporterConfig.Performance performance, Deadline deadline, List<ItemError> errors) {
        if (lanes.size() != LANES) {
            throw new IllegalArgumentException(LANES + " Admin clients expected, got " + lanes.size());
        }
        this.lanes = List.copyOf(lanes);
        this.performance = performance;
        this.deadline = deadline;
        this.errors = errors;
    }

    /**
     * Connects lanes 1 to 3 while lane 0 lists the groups, so their first real calls do not wait for a bootstrap
     * Metadata and new connections: one DescribeCluster each, whose answer is not needed.
     */
    void connectLanes() {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        lanes.subList(1, LANES).forEach(a -> a.describeCluster(new DescribeClusterOptions().timeoutMs(millis(timeout))));
    }

    /** A listed group and its type, which picks the describe and offsets calls it needs. */
    record Listed(String group, GroupType type) {
    }

    /** The listed groups, or why the listing failed (then the cluster counts as down). */
    record Listing(List<Listed> groups, Throwable failure) {
    }

    /** What a describe call says about one group: its state and which member holds each partition. */
    record Described(GroupState state, Map<TopicPartition, Member> assignments) {
    }

    /** A group's position on a partition, and the broker's own lag count where it keeps one (share groups). */
    record Committed(long offset, Long brokerLag) {
    }

    /**
     * Every group that consumes: classic groups of the consumer protocol (and groups that only hold committed
     * offsets), KIP-848 consumer groups, share groups and streams groups, in one ListGroups per broker. Connect
     * and other protocol types are left out, as {@code ListGroupsOptions.forConsumerGroups()} leaves them out.
     */
    Listing listGroups() {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        KafkaFuture<Collection<GroupListing>> listed = lanes.get(0).listGroups(
                new ListGroupsOptions().timeoutMs(millis(timeout))).all();
        Collection<GroupListing> listings;
        try {
            listings = listed.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new Listing(List.of(), e.getCause());
        } catch (TimeoutException e) {
            return new Listing(List.of(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Listing(List.of(), e);
        }
        List<Listed> out = new ArrayList<>();
        for (GroupListing l : listings) {
            org.apache.kafka.common.GroupType type = l.type().orElse(org.apache.kafka.common.GroupType.CLASSIC);
            switch (type) {
                case CONSUMER -> out.add(new Listed(l.groupId(), GroupType.CONSUMER));
                case SHARE -> out.add(new Listed(l.groupId(), GroupType.SHARE));
                case STREAMS -> out.add(new Listed(l.groupId(), GroupType.STREAMS));
                case CLASSIC -> {
                    if (l.protocol().isEmpty() || l.protocol().equals(CONSUMER_PROTOCOL)) {
                        out.add(new Listed(l.groupId(), GroupType.CLASSIC));
                    }
                }
                default -> { }
            }
        }
        return new Listing(out, null);
    }

    /** KIP-848 consumer groups: ConsumerGroupDescribe. */
    InFlight<Map<String, Described>> describeConsumer(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        var futures = lanes.get(0).describeConsumerGroups(groups, new DescribeConsumerGroupsOptions().timeoutMs(millis(timeout)))
                .describedGroups();
        return described(futures, timeout,
                d -> new Described(GroupState.fromKafka(d.groupState().toString()), assignments(d.members())));
    }

    /** Classic groups straight with DescribeGroups, not ConsumerGroupDescribe first and a retry after a backoff. */
    InFlight<Map<String, Described>> describeClassic(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        var futures = lanes.get(0).describeClassicGroups(groups, new DescribeClassicGroupsOptions().timeoutMs(millis(timeout)))
                .describedGroups();
        return described(futures, timeout,
                d -> new Described(GroupState.fromKafka(d.state().toString()), assignments(d.members())));
    }

    /** Share groups: ShareGroupDescribe. Members share partitions, so no partition has one member: no assignments. */
    InFlight<Map<String, Described>> describeShare(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        var futures = lanes.get(0).describeShareGroups(groups, new DescribeShareGroupsOptions().timeoutMs(millis(timeout)))
                .describedGroups();
        return described(futures, timeout,
                d -> new Described(GroupState.fromKafka(d.groupState().toString()), Map.of()));
    }

    /** Streams groups: StreamsGroupDescribe. Members own tasks, not partitions, so no partition has one member. */
    InFlight<Map<String, Described>> describeStreams(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        var futures = lanes.get(0).describeStreamsGroups(groups, new DescribeStreamsGroupsOptions().timeoutMs(millis(timeout)))
                .describedGroups();
        return described(futures, timeout,
                d -> new Described(GroupState.fromKafka(d.groupState().toString()), Map.of()));
    }

    private <D> InFlight<Map<String, Described>> described(Map<String, KafkaFuture<D>> futures, Duration timeout,
                                                           Function<D, Described> describe) {
        return InFlight.of(futures.values(), () -> {
            Map<String, Described> out = new HashMap<>();
            ItemErrors.gather(Phase.DESCRIBE, futures, deadline, timeout, errors).forEach((g, d) -> out.put(g,
                    describe.apply(d)));
            return out;
        });
    }

    private static Map<TopicPartition, Member> assignments(Collection<MemberDescription> members) {
        Map<TopicPartition, Member> out = new HashMap<>();
        for (MemberDescription m : members) {
            Member member = new Member(m.host(), m.consumerId(), m.clientId());
            m.assignment().topicPartitions().forEach(tp -> out.put(tp, member));
        }
        return out;
    }

    /** One OffsetFetch per coordinator for all consumer and classic groups at once (KIP-709). */
    InFlight<Map<String, Map<TopicPartition, Committed>>> committedOffsets(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.offsetFetchTimeout());
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        ListConsumerGroupOffsetsResult result = lanes.get(1).listConsumerGroupOffsets(specs,
                new ListConsumerGroupOffsetsOptions().timeoutMs(millis(timeout)));
        Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> futures = new HashMap<>();
        groups.forEach(g -> futures.put(g, result.partitionsToOffsetAndMetadata(g)));
        return InFlight.of(futures.values(),
                () -> positions(ItemErrors.gather(Phase.OFFSETS, futures, deadline, timeout, errors)));
    }

    /** One OffsetFetch per coordinator for all streams groups at once. */
    InFlight<Map<String, Map<TopicPartition, Committed>>> streamsOffsets(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.offsetFetchTimeout());
        Map<String, ListStreamsGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListStreamsGroupOffsetsSpec()));
        ListStreamsGroupOffsetsResult result = lanes.get(1).listStreamsGroupOffsets(specs,
                new ListStreamsGroupOffsetsOptions().timeoutMs(millis(timeout)));
        Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> futures = new HashMap<>();
        groups.forEach(g -> futures.put(g, result.partitionsToOffsetAndMetadata(g)));
        return InFlight.of(futures.values(),
                () -> positions(ItemErrors.gather(Phase.OFFSETS, futures, deadline, timeout, errors)));
    }

    /**
     * One DescribeShareGroupOffsets per coordinator for all share groups at once: each share-partition's start
     * offset and, where the broker counts it (KIP-1226), its lag.
     */
    InFlight<Map<String, Map<TopicPartition, Committed>>> shareOffsets(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.offsetFetchTimeout());
        Map<String, ListShareGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListShareGroupOffsetsSpec()));
        ListShareGroupOffsetsResult result = lanes.get(1).listShareGroupOffsets(specs,
                new ListShareGroupOffsetsOptions().timeoutMs(millis(timeout)));
        Map<String, KafkaFuture<Map<TopicPartition, SharePartitionOffsetInfo>>> futures = new HashMap<>();
        groups.forEach(g -> futures.put(g, result.partitionsToOffsetInfo(g)));
        return InFlight.of(futures.values(), () -> {
            Map<String, Map<TopicPartition, Committed>> out = new HashMap<>();
            ItemErrors.gather(Phase.OFFSETS, futures, deadline, timeout, errors).forEach((g, offsets) -> {
                Map<TopicPartition, Committed> positions = new HashMap<>();
                offsets.forEach((tp, info) -> {
                    if (info != null) {
                        positions.put(tp, new Committed(info.startOffset(), info.lag().orElse(null)));
                    }
                });
                out.put(g, positions);
            });
            return out;
        });
    }

    /**
     * Committed offsets as positions; a partition listed without an offset (null) has none. The response gives each
     * group its own copy of every partition's name: one shared copy per partition keeps a large cycle's heap small.
     */
    private static Map<String, Map<TopicPartition, Committed>> positions(
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed) {
        Map<String, Map<TopicPartition, Committed>> out = new HashMap<>();
        Map<TopicPartition, TopicPartition> shared = new HashMap<>();
        committed.forEach((g, offsets) -> {
            Map<TopicPartition, Committed> positions = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    positions.put(shared.computeIfAbsent(tp, k -> k), new Committed(om.offset(), null));
                }
            });
            out.put(g, positions);
        });
        return out;
    }

    /**
     * Low and high watermarks and the last stable offset: three ListOffsets calls (one OffsetSpec per partition
     * each), in flight together on lanes 0 to 2 (one Metadata and one request per leader each). The high watermark
     * is read read_uncommitted, as kafka-consumer-groups' LOG-END-OFFSET; the last stable offset is the latest
     * offset read read_committed.
     */
    InFlight<Map<TopicPartition, Watermarks>> watermarks(Set<TopicPartition> partitions) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        var uncommitted = new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs(millis(timeout));
        var committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(millis(timeout));
        var lowF = offsets(lanes.get(0), partitions, OffsetSpec.earliest(), uncommitted);
        var highF = offsets(lanes.get(1), partitions, OffsetSpec.latest(), uncommitted);
        var stableF = offsets(lanes.get(2), partitions, OffsetSpec.latest(), committed);
        List<KafkaFuture<?>> all = new ArrayList<>(lowF.values());
        all.addAll(highF.values());
        all.addAll(stableF.values());
        return InFlight.of(all, () -> watermarks(timeout, lowF, highF, stableF));
    }

    private Map<TopicPartition, Watermarks> watermarks(Duration timeout, OffsetFutures lowF, OffsetFutures highF,
                                                       OffsetFutures stableF) {
        var low = ItemErrors.gather(Phase.WATERMARKS, lowF, deadline, timeout, errors);
        // a partition whose offsets all failed (no leader) is one error, not three
        List<ItemError> laterErrors = new ArrayList<>();
        var high = ItemErrors.gather(Phase.WATERMARKS, highF, deadline, timeout, laterErrors);
        var stable = ItemErrors.gather(Phase.WATERMARKS, stableF, deadline, timeout, laterErrors);
        Set<String> reported = errors.stream().filter(e -> e.phase() == Phase.WATERMARKS).map(ItemError::item)
                .collect(Collectors.toSet());
        laterErrors.stream().filter(e -> reported.add(e.item())).forEach(errors::add);
        Map<TopicPartition, Watermarks> out = new HashMap<>();
        low.forEach((tp, l) -> {
            var h = high.get(tp);
            var ls = stable.get(tp);
            if (h != null && ls != null) {
                out.put(tp, new Watermarks(l.offset(), h.offset(), ls.offset()));
            }
        });
        return out;
    }

    /** One ListOffsets call's answer per partition. */
    private static final class OffsetFutures
            extends HashMap<TopicPartition, KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo>> {
    }

    private static OffsetFutures offsets(Admin admin, Set<TopicPartition> partitions, OffsetSpec spec,
                                         ListOffsetsOptions options) {
        ListOffsetsResult result = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)), options);
        OffsetFutures out = new OffsetFutures();
        partitions.forEach(tp -> out.put(tp, result.partitionResult(tp)));
        return out;
    }

    /** The group config naming a share group's isolation level (GroupConfig.SHARE_ISOLATION_LEVEL_CONFIG). */
    static final String SHARE_ISOLATION_LEVEL = "share.isolation.level";

    /**
     * What the configs phase reads, in one DescribeConfigs request (topic and group configs both go to any broker).
     *
     * @param compactedTopics topics whose cleanup.policy includes "compact"
     * @param readCommittedShareGroups share groups whose group config share.isolation.level is read_committed
     */
    record Configs(Set<String> compactedTopics, Set<String> readCommittedShareGroups) {
    }

    /**
     * The topics' configs and, where {@code shareGroups} names any, those share groups' configs: the broker reads
     * a share group's records for its members, so its isolation level is a group config (KIP-932).
     */
    InFlight<Configs> configs(Set<String> topics, Collection<String> shareGroups) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        List<ConfigResource> resources = new ArrayList<>();
        topics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        shareGroups.forEach(g -> resources.add(new ConfigResource(ConfigResource.Type.GROUP, g)));
        // keyed by name: a failed item is reported as "orders", not as "ConfigResource(type=TOPIC, ...)"
        Map<String, KafkaFuture<Config>> topicFutures = new HashMap<>();
        Map<String, KafkaFuture<Config>> groupFutures = new HashMap<>();
        lanes.get(3).describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(millis(timeout))).values()
                .forEach((resource, future) -> (resource.type() == ConfigResource.Type.GROUP ? groupFutures
                        : topicFutures).put(resource.name(), future));
        List<KafkaFuture<Config>> all = new ArrayList<>(topicFutures.values());
        all.addAll(groupFutures.values());
        return InFlight.of(all, () -> new Configs(
                matching(ItemErrors.gather(Phase.CONFIGS, topicFutures, deadline, timeout, errors),
                        TopicConfig.CLEANUP_POLICY_CONFIG, v -> v.contains("compact")),
                matching(ItemErrors.gather(Phase.CONFIGS, groupFutures, deadline, timeout, errors),
                        SHARE_ISOLATION_LEVEL, v -> v.equals("read_committed"))));
    }

    private static Set<String> matching(Map<String, Config> configs, String key, Predicate<String> value) {
        return configs.entrySet().stream()
                .filter(e -> {
                    ConfigEntry entry = e.getValue().get(key);
                    return entry != null && entry.value() != null && value.test(entry.value());
                })
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Requests the Admin clients sent (their own request-total, summed over brokers), for the self-metrics. */
    long requestsSent() {
        return (long) lanes.stream().flatMap(a -> a.metrics().entrySet().stream())
                .filter(e -> e.getKey().name().equals("request-total") && e.getKey().tags().size() == 1
                        && e.getValue().metricValue() instanceof Double)
                .mapToDouble(e -> (Double) e.getValue().metricValue()).sum();
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
