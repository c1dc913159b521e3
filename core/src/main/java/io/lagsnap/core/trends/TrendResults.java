package io.lagsnap.core.trends;

import java.util.List;

/**
 * {@link Trends#evaluate}'s answer: one trend per group and one per topic (topic granularity) or partition
 * (partition granularity) of the groups the latest snapshot saw, in key order.
 */
public record TrendResults(List<Trend> groups, List<Trend> details) {
    /** No trend this run: the snapshot added no point (see {@code Trends.evaluate(TrendState, ClusterSnapshot)}). */
    public static final TrendResults NONE = new TrendResults(List.of(), List.of());

    public TrendResults {
        groups = List.copyOf(groups);
        details = List.copyOf(details);
    }
}
