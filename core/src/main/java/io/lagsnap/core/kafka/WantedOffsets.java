package io.lagsnap.core.kafka;

import java.util.Arrays;

/**
 * The offsets whose record timestamps one partition needs, gathered unsorted and with repeats (one per group-partition
 * row), then sorted and deduplicated once. Primitive arrays, not a sorted set of boxed longs: a large cycle wants
 * hundreds of thousands of positions, and the sampler walks them in order.
 */
final class WantedOffsets {
    private long[] values = new long[4];
    private int size;

    void add(long offset) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = offset;
    }

    /** The distinct offsets, ascending. */
    long[] sortedDistinct() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return distinct == sorted.length ? sorted : Arrays.copyOf(sorted, distinct);
    }
}
