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
 * @param partitions how many partitions the sums cover (1 for a partition series); 0 when unknown (downsampled
 *     points, and objects written before it was kept)
 */
public record TrendPoint(Instant time, long committed, long end, Double lagSeconds, int partitions) {
    public TrendPoint(Instant time, long committed, long end) {
        this(time, committed, end, null, 0);
    }

    public TrendPoint(Instant time, long committed, long end, Double lagSeconds) {
        this(time, committed, end, lagSeconds, 0);
    }

    /**
     * Whether this point's sums and {@code other}'s cover the same partitions, as far as the counts tell: a sum that
     * gained or lost a partition (a partition added, a first commit on one, an expired offset) jumps by that
     * partition's offsets, which no rate or rule may read as progress or a rewind.
     */
    boolean comparableTo(TrendPoint other) {
        return partitions == 0 || other.partitions == 0 || partitions == other.partitions;
    }

    /** Lag as the row schema defines it, never negative. */
    public long lag() {
        return Math.max(0, end - committed);
    }
}
