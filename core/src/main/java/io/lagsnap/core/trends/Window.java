package io.lagsnap.core.trends;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The latest points of one series, what every status rule and rate is computed from.
 *
 * @param points the latest {@link TrendBounds#window} points (or fewer), oldest first; never empty
 */
public record Window(List<TrendPoint> points, boolean members, boolean dataLoss, Instant committedSince) {
    public Window {
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a window needs at least one point");
        }
    }

    /** The latest {@code size} points, from the last change of the partitions the sums cover on. */
    public static Window of(Series series, int size) {
        List<TrendPoint> all = series.points();
        int from = Math.max(0, all.size() - size);
        for (int i = all.size() - 1; i > from; i--) {
            if (!all.get(i - 1).comparableTo(all.get(i))) {
                from = i;
                break;
            }
        }
        return new Window(all.subList(from, all.size()), series.members(), series.dataLoss(),
                series.committedSince());
    }

    public TrendPoint first() {
        return points.get(0);
    }

    public TrendPoint last() {
        return points.get(points.size() - 1);
    }

    /** Rates need two points at different times. */
    public boolean hasSpan() {
        return last().time().isAfter(first().time());
    }

    public double seconds() {
        return Duration.between(first().time(), last().time()).toMillis() / 1000.0;
    }

    /** How long the committed offset has not changed, at the window's latest point. */
    public Duration committedUnchangedFor() {
        return Duration.between(committedSince, last().time());
    }
}
