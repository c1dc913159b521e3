package io.lagsnap.core.kafka;

import io.lagsnap.core.model.ItemError;
import io.lagsnap.core.run.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the timestamp of the first record at or after each wanted offset, for many partitions at once: one
 * consumer without a group id (so no consumer group is ever created), all partitions of a wave assigned and seeked,
 * polled until every partition has its samples or the budget is spent, each partition paused as soon as it is done.
 * Several offsets of one partition reuse the batches already fetched. Payloads are discarded unread.
 */
public final class TimestampSampler {
    /** About one producer batch (16 KiB by default) per partition and fetch: enough for a timestamp, no more. */
    static final int MAX_PARTITION_FETCH_BYTES = 64 * 1024;
    /** Bounds one fetch response, and so the sampler's memory, whatever the number of partitions. */
    static final int FETCH_MAX_BYTES = 16 * 1024 * 1024;
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    /** A (partition, offset) whose record timestamp is wanted. */
    public record Position(TopicPartition partition, long offset) {
    }

    /** The first record at or after a wanted offset. */
    public record Sample(long offset, long timestampMs) {
    }

    /**
     * @param fetchRequests fetch requests the consumer sent
     * @param bytesFetched bytes of record data received
     */
    public record Result(Map<Position, Sample> samples, List<ItemError> errors, long fetchRequests,
                         long bytesFetched) {
    }

    private final Properties properties;
    private final int maxPartitionsPerWave;

    public TimestampSampler(Properties clientProperties, int maxPartitionsPerWave) {
        this.properties = new Properties();
        this.properties.putAll(clientProperties);
        this.properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        this.properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_PARTITION_FETCH_BYTES));
        this.properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_MAX_BYTES));
        this.properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100000");
        this.properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, DiscardingDeserializer.class.getName());
        this.properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, DiscardingDeserializer.class.getName());
        this.properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.properties.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.maxPartitionsPerWave = maxPartitionsPerWave;
    }

    /**
     * @param wanted offsets to sample, per partition
     * @param highWatermarks the high watermark per partition: reaching it without a record means there is none
     */
    public Result sample(Map<TopicPartition, NavigableSet<Long>> wanted, Map<TopicPartition, Long> highWatermarks,
                         Deadline budget) {
        Map<Position, Sample> samples = new HashMap<>();
        List<ItemError> errors = new ArrayList<>();
        if (wanted.isEmpty()) {
            return new Result(samples, errors, 0, 0);
        }
        try (KafkaConsumer<Object, Object> consumer = new KafkaConsumer<>(properties)) {
            List<TopicPartition> all = new ArrayList<>(wanted.keySet());
            for (int from = 0; from < all.size(); from += maxPartitionsPerWave) {
                List<TopicPartition> wave = all.subList(from, Math.min(all.size(), from + maxPartitionsPerWave));
                sampleWave(consumer, wave, wanted, highWatermarks, budget, samples, errors);
            }
            return new Result(samples, errors, metric(consumer, "fetch-total"),
                    metric(consumer, "bytes-consumed-total"));
        }
    }

    private void sampleWave(KafkaConsumer<Object, Object> consumer, List<TopicPartition> wave,
                            Map<TopicPartition, NavigableSet<Long>> wanted, Map<TopicPartition, Long> highWatermarks,
                            Deadline budget, Map<Position, Sample> samples, List<ItemError> errors) {
        Map<TopicPartition, NavigableSet<Long>> pending = new HashMap<>();
        wave.forEach(tp -> pending.put(tp, new TreeSet<>(wanted.get(tp))));
        consumer.assign(wave);
        wave.forEach(tp -> consumer.seek(tp, pending.get(tp).first()));
        while (!pending.isEmpty() && !budget.expired()) {
            ConsumerRecords<Object, Object> records = consumer.poll(budget.cap(MAX_POLL));
            for (TopicPartition tp : records.partitions()) {
                NavigableSet<Long> open = pending.get(tp);
                if (open != null) {
                    resolve(tp, records.records(tp), open, samples);
                    if (open.isEmpty()) {
                        finish(consumer, tp, pending);
                    } else if (consumer.position(tp) < open.first()) {
                        consumer.seek(tp, open.first());
                    }
                }
            }
            for (TopicPartition tp : new ArrayList<>(pending.keySet())) {
                Long high = highWatermarks.get(tp);
                if (!records.partitions().contains(tp) && high != null && consumer.position(tp) >= high) {
                    // only control records or aborted data left before the high watermark: nothing to time
                    pending.get(tp).forEach(o -> errors.add(new ItemError("sampling", tp + "@" + o, "no_record",
                            "no data record between offset " + o + " and the high watermark " + high)));
                    finish(consumer, tp, pending);
                }
            }
        }
        pending.forEach((tp, open) -> open.forEach(o -> errors.add(new ItemError("sampling", tp + "@" + o,
                "timeout", "no record fetched within the sampling budget"))));
        consumer.unsubscribe();
    }

    /** Each open offset takes the first fetched record at or after it; records come in offset order. */
    private static void resolve(TopicPartition tp, List<ConsumerRecord<Object, Object>> records,
                                NavigableSet<Long> open, Map<Position, Sample> samples) {
        int i = 0;
        while (!open.isEmpty() && i < records.size()) {
            long want = open.first();
            ConsumerRecord<Object, Object> r = records.get(i);
            if (r.offset() >= want) {
                samples.put(new Position(tp, want), new Sample(r.offset(), r.timestamp()));
                open.pollFirst();
            } else {
                i++;
            }
        }
    }

    private static void finish(KafkaConsumer<Object, Object> consumer, TopicPartition tp,
                               Map<TopicPartition, NavigableSet<Long>> pending) {
        consumer.pause(List.of(tp));
        pending.remove(tp);
    }

    private static long metric(KafkaConsumer<Object, Object> consumer, String name) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.name().equals(name) && n.group().equals("consumer-fetch-manager-metrics")
                    && !n.tags().containsKey("topic") && e.getValue().metricValue() instanceof Double d) {
                total += d;
            }
        }
        return (long) total;
    }
}
