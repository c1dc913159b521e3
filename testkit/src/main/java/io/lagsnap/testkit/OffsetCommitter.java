package io.lagsnap.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits offsets for groups that have no members, the way {@code kafka-consumer-groups --reset-offsets}
 * does (Admin.alterConsumerGroupOffsets); such a group stays Empty. Many groups are committed
 * concurrently, in waves that keep the number of requests in flight bounded.
 */
final class OffsetCommitter {
    private static final int GROUPS_IN_FLIGHT = 500;

    private final Admin admin;

    OffsetCommitter(Admin admin) {
        this.admin = admin;
    }

    void commit(Map<String, Map<TopicPartition, Long>> offsetsByGroup) {
        List<Map.Entry<String, Map<TopicPartition, Long>>> groups = new ArrayList<>(offsetsByGroup.entrySet());
        for (int start = 0; start < groups.size(); start += GROUPS_IN_FLIGHT) {
            List<KafkaFuture<Void>> wave = new ArrayList<>();
            for (var group : groups.subList(start, Math.min(groups.size(), start + GROUPS_IN_FLIGHT))) {
                wave.add(admin.alterConsumerGroupOffsets(group.getKey(), asMetadata(group.getValue())).all());
            }
            Futures.join(KafkaFuture.allOf(wave.toArray(KafkaFuture[]::new)));
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> asMetadata(Map<TopicPartition, Long> offsets) {
        return offsets.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> new OffsetAndMetadata(entry.getValue())));
    }
}
