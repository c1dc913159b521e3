package io.lagsnap.core.trends;

import java.util.List;

/**
 * What a run reports for one series.
 *
 * @param lag the latest lag (summed over the partitions above partition level)
 * @param consumeRate committed records per second over the window; null with no window yet (one point)
 * @param produceRate records per second the log end moved over the window (see {@link TrendPoint#end}); null with
 *     no window yet
 * @param etaSeconds time to catch up, {@code lag / (consumeRate - produceRate)} when that is positive, 0 at lag 0,
 *     {@link Double#POSITIVE_INFINITY} when falling behind or not gaining; null with no window yet
 * @param rule the rule that gave {@code status}; for a group, the one of its worst topic or partition
 * @param points oldest first: a group's full-resolution points (the charts), a topic's or partition's window
 */
public record Trend(SeriesKey key, long lag, Double consumeRate, Double produceRate, Double etaSeconds,
                    TrendStatus status, TrendRule rule, List<TrendPoint> points) {
    public Trend {
        points = List.copyOf(points);
    }
}
