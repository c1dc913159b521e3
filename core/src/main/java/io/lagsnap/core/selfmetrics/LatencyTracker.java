package io.lagsnap.core.selfmetrics;

import java.time.Duration;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Count, sum, min and max of observed durations, in nanoseconds. Lock-free (adders and accumulators); a read while
 * others record may mix observations, which is why exporters read after the run's work has finished.
 */
public final class LatencyTracker {
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();
    private final LongAccumulator minNanos = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);

    LatencyTracker() {
    }

    /** One observation; a negative duration (a clock step) counts as zero. */
    public void record(Duration took) {
        long nanos = Math.max(took.toNanos(), 0);
        count.increment();
        sumNanos.add(nanos);
        minNanos.accumulate(nanos);
        maxNanos.accumulate(nanos);
    }

    public long count() {
        return count.sum();
    }

    public Duration sum() {
        return Duration.ofNanos(sumNanos.sum());
    }

    /** The shortest observation, or null before the first. */
    public Duration min() {
        return count() == 0 ? null : Duration.ofNanos(minNanos.get());
    }

    /** The longest observation, or null before the first. */
    public Duration max() {
        return count() == 0 ? null : Duration.ofNanos(maxNanos.get());
    }
}
