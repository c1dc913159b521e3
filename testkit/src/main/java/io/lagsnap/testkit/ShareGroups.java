package io.lagsnap.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Share groups (KIP-932) on the test cluster. The released feature levels the test kit formats with already
 * include share.version 1 (and streams.version 1), and {@link BrokerDefaults} sizes the share-state topic for the
 * cluster. A new share group starts at the latest offset unless its group config says earliest
 * ({@link #startAtEarliest}).
 */
public final class ShareGroups {
    private ShareGroups() {
    }

    /** Sets the group config share.auto.offset.reset=earliest, so the group reads the topics from the start. */
    public static void startAtEarliest(Admin admin, String group) {
        setGroupConfig(admin, group, "share.auto.offset.reset", "earliest");
    }

    /** Sets the group config share.isolation.level=read_committed: the broker then hands out committed records. */
    public static void readCommitted(Admin admin, String group) {
        setGroupConfig(admin, group, "share.isolation.level", "read_committed");
    }

    private static void setGroupConfig(Admin admin, String group, String key, String value) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        Futures.join(admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry(key, value), AlterConfigOp.OpType.SET)))).all());
    }

    /** Sets a member-less share group's start offsets, creating the group: no consumer ever reads for it. */
    public static void setStartOffsets(Admin admin, String group, Map<TopicPartition, Long> startOffsets) {
        Futures.join(admin.alterShareGroupOffsets(group, startOffsets).all());
    }

    /**
     * A share consumer that accepts the first {@code accept} records it receives (in offset order) and leaves the
     * others it acquired in flight, unacknowledged, until it is closed (or their acquisition lock times out).
     */
    public static final class Member implements AutoCloseable {
        private final KafkaShareConsumer<byte[], byte[]> consumer;
        private final List<Long> accepted = new ArrayList<>();
        private final List<Long> inFlight = new ArrayList<>();

        private Member(KafkaShareConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        public static Member accepting(Map<String, Object> clientConfig, String group, Collection<String> topics,
                                       int accept, Duration timeout) {
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put("share.acknowledgement.mode", "explicit");
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            Member member = new Member(new KafkaShareConsumer<>(config));
            try {
                member.consumer.subscribe(topics);
                member.acquire(accept, timeout);
                return member;
            } catch (RuntimeException e) {
                member.close();
                throw e;
            }
        }

        /**
         * Polls until {@code accept} records are accepted; a poll that brings more leaves the rest in flight. In
         * explicit mode every record of a poll must be acknowledged before the next poll, so polling stops there.
         */
        private void acquire(int accept, Duration timeout) {
            long until = System.nanoTime() + timeout.toNanos();
            while (accepted.size() < accept) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("share consumer accepted only " + accepted + " within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (accepted.size() < accept) {
                        consumer.acknowledge(r, AcknowledgeType.ACCEPT);
                        accepted.add(r.offset());
                    } else {
                        inFlight.add(r.offset());
                    }
                }
            }
            consumer.commitSync();
        }

        /** Offsets this member accepted. */
        public List<Long> accepted() {
            return List.copyOf(accepted);
        }

        /** Offsets this member acquired and holds unacknowledged. */
        public List<Long> inFlight() {
            return List.copyOf(inFlight);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
