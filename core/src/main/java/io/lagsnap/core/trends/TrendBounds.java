package io.lagsnap.core.trends;

import java.time.Duration;

/**
 * How much a trend state keeps and how status is judged. {@link #DEFAULT}: 10-point status window, 60 group points,
 * STOP after 15 minutes without a commit change.
 *
 * @param window points a status and the rates are computed over (the latest {@code window} of a series)
 * @param groupPoints full-resolution points kept per group (the charts' last hour at a 1-minute schedule)
 * @param detailPoints points kept per topic or partition series: exactly the window, as only status needs them
 * @param stopAfter how long a committed offset must stay unchanged, with no members, before STALL becomes STOP
 */
public record TrendBounds(int window, int groupPoints, int detailPoints, Duration stopAfter) {
    /** Downsampled group points: one per 15 minutes over 24 hours (at most 96). */
    public static final Duration DAY_BUCKET = Duration.ofMinutes(15);
    public static final Duration DAY = Duration.ofHours(24);
    /** Downsampled group points: one per 2 hours over 7 days (at most 84). */
    public static final Duration WEEK_BUCKET = Duration.ofHours(2);
    public static final Duration WEEK = Duration.ofDays(7);
    /** A series no snapshot has seen for this long (a deleted group, a removed topic) is dropped. */
    public static final Duration RETAIN = Duration.ofDays(7);

    public static final TrendBounds DEFAULT = new TrendBounds(10, 60, 10, Duration.ofMinutes(15));

    public TrendBounds {
        if (window < 2 || groupPoints < window || detailPoints < window) {
            throw new IllegalArgumentException("trend bounds: need 2 <= window <= groupPoints, detailPoints; got "
                    + window + ", " + groupPoints + ", " + detailPoints);
        }
    }
}
