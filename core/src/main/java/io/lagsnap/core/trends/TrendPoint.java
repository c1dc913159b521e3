package io.lagsnap.core.trends;

import java.time.Instant;

/**
 * One snapshot of a series: committed offset and log end (summed over partitions above partition level).
 *
 * @param end the offset the row's lag is measured to: the high watermark, or the last stable offset where the
 *     group's lag is read_committed (a transactional consumer cannot pass it, so its lag, produce rate and time to
 *     catch up are measured to it)
 * @param lagSeconds a group's largest time lag at that snapshot, for its chart; null when no record timestamp was
 *     read, for topic and partition series (only status needs them) and for downsampled points
 */
public record TrendPoint(Instant time, long committed, long end, Double lagSeconds) {
    public TrendPoint(Instant time, long committed, long end) {
        this(time, committed, end, null);
    }

    /** Lag as the row schema defines it, never negative. */
    public long lag() {
        return Math.max(0, end - committed);
    }
}
