package io.lagsnap.core.kafka;

import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ItemError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
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
 */
final class AdminCalls {
    private final Admin admin;
    private final ExporterConfig.Performance performance;
    private final Deadline deadline;
    private final List<ItemError> errors;

    AdminCalls(Admin admin, ExporterConfig.Performance performance, Deadline deadline, List<ItemError> errors) {
        this.admin = admin;
        this.performance = performance;
        this.deadline = deadline;
        this.errors = errors;
    }

    /** All consumer groups (classic and KIP-848), including groups that only hold committed offsets. */
    Collection<String> listGroups() throws Exception {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        Collection<GroupListing> listings = admin.listGroups(ListGroupsOptions.forConsumerGroups()
                        .timeoutMs(millis(timeout)))
                .all().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        return listings.stream().map(GroupListing::groupId).toList();
    }

    Map<String, ConsumerGroupDescription> describe(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        var futures = admin.describeConsumerGroups(groups,
                new DescribeConsumerGroupsOptions().timeoutMs(millis(timeout))).describedGroups();
        return ItemErrors.gather("describe", futures, deadline, timeout, errors);
    }

    /** One OffsetFetch per coordinator for all groups at once (KIP-709), never one call per group. */
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committedOffsets(Collection<String> groups) {
        Duration timeout = deadline.cap(performance.offsetFetchTimeout());
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        ListConsumerGroupOffsetsResult result = admin.listConsumerGroupOffsets(specs,
                new ListConsumerGroupOffsetsOptions().timeoutMs(millis(timeout)));
        Map<String, KafkaFuture<Map<TopicPartition, OffsetAndMetadata>>> futures = new HashMap<>();
        groups.forEach(g -> futures.put(g, result.partitionsToOffsetAndMetadata(g)));
        return ItemErrors.gather("offsets", futures, deadline, timeout, errors);
    }

    /**
     * Low and high watermarks, two ListOffsets calls in flight together (one request per leader each).
     * read_uncommitted: the high watermark, as kafka-consumer-groups' LOG-END-OFFSET.
     */
    Map<TopicPartition, long[]> watermarks(Set<TopicPartition> partitions) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        var options = new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED).timeoutMs(millis(timeout));
        ListOffsetsResult earliest = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.earliest())), options);
        ListOffsetsResult latest = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())), options);
        Map<TopicPartition, KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo>> lowF = new HashMap<>();
        Map<TopicPartition, KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo>> highF = new HashMap<>();
        partitions.forEach(tp -> {
            lowF.put(tp, earliest.partitionResult(tp));
            highF.put(tp, latest.partitionResult(tp));
        });
        var low = ItemErrors.gather("watermarks", lowF, deadline, timeout, errors);
        List<ItemError> highErrors = new ArrayList<>();
        var high = ItemErrors.gather("watermarks", highF, deadline, timeout, highErrors);
        // a partition whose two watermarks both failed (no leader) is one error, not two
        Set<String> lowFailed = errors.stream().filter(e -> e.phase().equals("watermarks")).map(ItemError::item)
                .collect(Collectors.toSet());
        highErrors.stream().filter(e -> !lowFailed.contains(e.item())).forEach(errors::add);
        Map<TopicPartition, long[]> out = new HashMap<>();
        low.forEach((tp, l) -> {
            var h = high.get(tp);
            if (h != null) {
                out.put(tp, new long[] {l.offset(), h.offset()});
            }
        });
        return out;
    }

    /** Topics whose cleanup.policy includes "compact", from one DescribeConfigs for all topics. */
    Set<String> compactedTopics(Set<String> topics) {
        Duration timeout = deadline.cap(performance.kafkaTimeout());
        Map<String, KafkaFuture<Config>> futures = new HashMap<>();
        // keyed by topic name: a failed item is reported as "orders", not as "ConfigResource(type=TOPIC, ...)"
        admin.describeConfigs(
                topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList(),
                new DescribeConfigsOptions().timeoutMs(millis(timeout))).values()
                .forEach((resource, future) -> futures.put(resource.name(), future));
        var configs = ItemErrors.gather("configs", futures, deadline, timeout, errors);
        return configs.entrySet().stream()
                .filter(e -> {
                    ConfigEntry policy = e.getValue().get(TopicConfig.CLEANUP_POLICY_CONFIG);
                    return policy != null && policy.value() != null && policy.value().contains("compact");
                })
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
