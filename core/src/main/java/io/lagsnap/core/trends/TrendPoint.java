package io.lagsnap.core.trends;

import java.time.Instant;

/**
 * One snapshot of a series: committed offset and high watermark (summed over partitions above partition level).
 *
 * @param lagSeconds a group's largest time lag at that snapshot, for its chart; null when no record timestamp was
 *     read, for topic and partition series (only status needs them) and for downsampled points
 */
public record TrendPoint(Instant time, long committed, long high, Double lagSeconds) {
    public TrendPoint(Instant time, long committed, long high) {
        this(time, committed, high, null);
    }

    /** Lag as the row schema defines it, never negative. */
    public long lag() {
        return Math.max(0, high - committed);
    }
}
