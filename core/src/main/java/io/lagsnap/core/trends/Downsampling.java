package io.lagsnap.core.trends;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Keeps the last point of each fixed bucket (epoch-aligned) over a span: at most span / bucket points. */
final class Downsampling {
    private Downsampling() {
    }

    static List<TrendPoint> add(List<TrendPoint> points, TrendPoint point, Duration bucket, Duration span) {
        long size = bucket.toMillis();
        long current = Math.floorDiv(point.time().toEpochMilli(), size);
        long buckets = span.toMillis() / size;
        List<TrendPoint> next = new ArrayList<>();
        for (TrendPoint p : points) {
            long b = Math.floorDiv(p.time().toEpochMilli(), size);
            if (b > current - buckets && b != current) {
                next.add(p);
            }
        }
        // time lag is kept at full resolution only: the charts draw the last hour
        next.add(new TrendPoint(point.time(), point.committed(), point.end()));
        return next;
    }
}
