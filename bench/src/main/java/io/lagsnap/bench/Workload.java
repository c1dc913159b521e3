package io.lagsnap.bench;

import io.lagsnap.testkit.Scenario;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark's cluster for one sweep point: G groups spread over topics of P partitions (at most
 * {@value #GROUPS_PER_TOPIC} groups per topic, as on a real cluster where many services read many topics),
 * {@value #RECORDS_PER_PARTITION} records per partition with CreateTime one second apart, and every group committed
 * on every partition of its topic: in each topic one group in ten caught up, the others lagging by 1 to
 * {@value #RECORDS_PER_PARTITION} records at offsets that differ between the groups of a topic (so time-lag sampling
 * has up to 90 distinct offsets to read per partition).
 */
public record Workload(SweepPoint point, int topics) {
    static final int GROUPS_PER_TOPIC = 100;
    static final int RECORDS_PER_PARTITION = 200;
    /** Every group name starts with this; the reference tool's output rows are counted by it. */
    static final String GROUP_PREFIX = "bench-g";
    private static final int COMMIT_BATCH = 500;

    public static Workload of(SweepPoint point) {
        return new Workload(point, (point.groups() + GROUPS_PER_TOPIC - 1) / GROUPS_PER_TOPIC);
    }

    /** Creates the topics, writes the records (the newest a minute before {@code nowMs}), commits every group. */
    public void build(Scenario scenario, long nowMs) {
        long firstTimestamp = nowMs - 60_000L - RECORDS_PER_PARTITION * 1000L;
        for (int t = 0; t < topics; t++) {
            scenario.topic(topic(t), point.partitions());
            for (int p = 0; p < point.partitions(); p++) {
                scenario.produce(topic(t), p, RECORDS_PER_PARTITION, i -> firstTimestamp + i * 1000L);
            }
        }
        Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
        for (int g = 0; g < point.groups(); g++) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int p = 0; p < point.partitions(); p++) {
                offsets.put(new TopicPartition(topic(g % topics), p), committedOffset(g / topics, p));
            }
            committed.put(group(g), offsets);
            // in batches: thousands of groups' commits at once outlast the test kit's wait on a busy machine
            if (committed.size() == COMMIT_BATCH || g == point.groups() - 1) {
                scenario.commitGroups(committed);
                committed = new HashMap<>();
            }
        }
    }

    /** Rows a full snapshot has: one per group and partition. */
    public long rows() {
        return point.groupPartitions();
    }

    /** The committed offset of the {@code index}-th group of a topic on one of its partitions. */
    static long committedOffset(int index, int partition) {
        return index % 10 == 0 ? RECORDS_PER_PARTITION : (index * 31L + partition * 7L) % RECORDS_PER_PARTITION;
    }

    static String group(int g) {
        return String.format("%s%05d", GROUP_PREFIX, g);
    }

    static String topic(int t) {
        return String.format("bench-t%03d", t);
    }
}
