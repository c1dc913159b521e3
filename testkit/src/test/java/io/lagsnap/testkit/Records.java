package io.lagsnap.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a partition back with a group-less consumer, to check what the helpers wrote. */
final class Records {
    private Records() {
    }

    static List<ConsumerRecord<byte[], byte[]>> read(KafkaBroker broker, String topic, int partition, String isolation) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(100)).records(tp).forEach(records::add);
            }
            return records;
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> read(KafkaBroker broker, String topic, int partition) {
        return read(broker, topic, partition, "read_uncommitted");
    }
}
