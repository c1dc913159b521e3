package io.lagsnap.core.trends;

import java.time.Instant;

/** One snapshot of a series: committed offset and high watermark (summed over partitions above partition level). */
public record TrendPoint(Instant time, long committed, long high) {
    /** Lag as the row schema defines it, never negative. */
    public long lag() {
        return Math.max(0, high - committed);
    }
}
