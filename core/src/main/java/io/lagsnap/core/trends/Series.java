package io.lagsnap.core.trends;

import java.time.Instant;
import java.util.List;

/**
 * The bounded history of one {@link SeriesKey}, oldest point first.
 *
 * @param points full-resolution points, one per run that saw the series (at most {@link TrendBounds#groupPoints}
 *     for a group, {@link TrendBounds#detailPoints} for a topic or partition)
 * @param day group series only: the last point of each {@link TrendBounds#DAY_BUCKET} over the last 24 h
 * @param week group series only: the last point of each {@link TrendBounds#WEEK_BUCKET} over the last 7 days
 * @param members whether the group had a member holding a partition in the latest snapshot that saw it
 * @param dataLoss whether a partition of the series had lost data (committed offset below the log start) then
 * @param committedSince when the committed offset took its current value, as far as the state knows: the first
 *     snapshot that saw the series when it never changed since (the Admin API gives no commit timestamp)
 * @param lastSeen the latest snapshot that had the series; series unseen for {@link TrendBounds#RETAIN} age out
 */
public record Series(SeriesKey key, List<TrendPoint> points, List<TrendPoint> day, List<TrendPoint> week,
                     boolean members, boolean dataLoss, Instant committedSince, Instant lastSeen) {
    public Series {
        points = List.copyOf(points);
        day = List.copyOf(day);
        week = List.copyOf(week);
    }

    public TrendPoint latest() {
        return points.get(points.size() - 1);
    }
}
