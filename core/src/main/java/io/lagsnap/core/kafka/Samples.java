package io.lagsnap.core.kafka;

import io.lagsnap.core.kafka.TimestampSampler.Sample;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.kafka.common.TopicPartition;

/**
 * What the sampler found at each wanted position, kept per partition in arrays parallel to its wanted offsets: a
 * large cycle samples hundreds of thousands of positions, and a map entry per position cost several times the heap.
 */
public final class Samples {
    /** Marks a wanted position nothing was found for yet; record offsets are never negative. */
    private static final long NOT_FOUND = -1;
    /** Marks a {@link Sample} without a timestamp; record timestamps below 0 are never kept as samples. */
    private static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private final Map<TopicPartition, Found> byPartition = new HashMap<>();
    private int size;

    /** The sample at {@code offset} of {@code tp}, or null when none was found (or it was never wanted). */
    public Sample get(TopicPartition tp, long offset) {
        Found f = byPartition.get(tp);
        int i = f == null ? -1 : Arrays.binarySearch(f.wanted, offset);
        if (i < 0 || f.offsets[i] == NOT_FOUND) {
            return null;
        }
        return new Sample(f.offsets[i], f.timestamps[i] == NO_TIMESTAMP ? null : f.timestamps[i]);
    }

    /** How many positions have a sample. */
    public int size() {
        return size;
    }

    /** How many samples have a timestamp that {@code test} accepts. */
    public long countTimestamps(LongPredicate test) {
        long n = 0;
        for (Found f : byPartition.values()) {
            for (int i = 0; i < f.wanted.length; i++) {
                if (f.offsets[i] != NOT_FOUND && f.timestamps[i] != NO_TIMESTAMP && test.test(f.timestamps[i])) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Whether the {@code index}-th wanted offset of {@code tp} has a sample. */
    boolean has(TopicPartition tp, int index) {
        Found f = byPartition.get(tp);
        return f != null && f.offsets[index] != NOT_FOUND;
    }

    /**
     * Records the sample of the {@code index}-th offset of {@code wanted} (the partition's sorted wanted offsets);
     * {@code timestampMs} null when there is no record before the high watermark.
     */
    void put(TopicPartition tp, long[] wanted, int index, long offset, Long timestampMs) {
        Found f = byPartition.computeIfAbsent(tp, k -> new Found(wanted));
        if (f.offsets[index] == NOT_FOUND) {
            size++;
        }
        f.offsets[index] = offset;
        f.timestamps[index] = timestampMs == null ? NO_TIMESTAMP : timestampMs;
    }

    private static final class Found {
        final long[] wanted;
        final long[] offsets;
        final long[] timestamps;

        Found(long[] wanted) {
            this.wanted = wanted;
            this.offsets = new long[wanted.length];
            this.timestamps = new long[wanted.length];
            Arrays.fill(offsets, NOT_FOUND);
        }
    }
}
