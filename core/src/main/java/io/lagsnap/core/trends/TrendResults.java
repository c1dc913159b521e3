package io.lagsnap.core.trends;

import java.util.List;

/**
 * {@link Trends#evaluate}'s answer: one trend per group and one per topic (topic granularity) or partition
 * (partition granularity) of the groups the latest snapshot saw, in key order.
 */
public record TrendResults(List<Trend> groups, List<Trend> details) {
    public TrendResults {
        groups = List.copyOf(groups);
        details = List.copyOf(details);
    }
}
