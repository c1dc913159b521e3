package io.lagsnap.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes records and waits until every one is acknowledged by all in-sync replicas. */
final class RecordWriter implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;

    private RecordWriter(Producer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** An idempotent producer: a retried send never lands twice, so offsets stay exact. */
    static RecordWriter plain(Map<String, Object> clientConfig) {
        return new RecordWriter(new KafkaProducer<>(producerConfig(clientConfig, Map.of()),
                new ByteArraySerializer(), new ByteArraySerializer()));
    }

    static Producer<byte[], byte[]> transactional(Map<String, Object> clientConfig, String transactionalId) {
        return new KafkaProducer<>(producerConfig(clientConfig,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId)),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    List<RecordMetadata> write(List<ProducerRecord<byte[], byte[]>> records) {
        return sendAll(producer, records);
    }

    /** Sends in one go (so records batch) and then waits for every acknowledgement, in order. */
    static List<RecordMetadata> sendAll(Producer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        records.forEach(record -> sent.add(producer.send(record)));
        producer.flush();
        List<RecordMetadata> acknowledged = new ArrayList<>(records.size());
        sent.forEach(future -> acknowledged.add(Futures.join(future)));
        return acknowledged;
    }

    @Override
    public void close() {
        producer.close();
    }

    private static Map<String, Object> producerConfig(Map<String, Object> clientConfig, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Records batch up while they are handed over; flush() then sends what is left.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(extra);
        return config;
    }
}
