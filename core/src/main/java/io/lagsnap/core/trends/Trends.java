package io.lagsnap.core.trends;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.Isolation;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Stateless trends: pure functions from the previous trend state and a new snapshot. A run does
 * <pre>
 *   TrendState previous = switch (TrendCodec.decode(bytes)) { case Loaded l -> l.state(); default -> empty };
 *   TrendState next = trends.fold(previous, clusterSnapshot, Instant.now());
 *   TrendResults results = trends.evaluate(next);   // to the sinks
 *   store.put("cluster=NAME/trend.json.gz", TrendCodec.encode(next));   // conditional put
 * </pre>
 */
public final class Trends {
    private final TrendBounds bounds;

    public Trends(TrendBounds bounds) {
        this.bounds = bounds;
    }

    /**
     * Folds one cluster snapshot into the state and ages out series unseen for {@link TrendBounds#RETAIN} before
     * {@code now}. Only a complete snapshot adds points: a down cluster has none, and a partial one lacks partitions,
     * which would show as false drops in the sums. A snapshot not newer than the state's latest is not folded twice.
     * A change of granularity drops the topic or partition series of the old one and keeps the group series.
     *
     * @param previous the state read at the start of the run, or {@link TrendState#empty}
     * @param now the run's clock, for ageing only (points carry the snapshot's own time)
     */
    public TrendState fold(TrendState previous, ClusterSnapshot snapshot, Instant now) {
        if (!previous.cluster().equals(snapshot.name())) {
            throw new IllegalArgumentException("trend state of cluster \"" + previous.cluster()
                    + "\" cannot fold a snapshot of \"" + snapshot.name() + "\"");
        }
        Map<SeriesKey, Series> series = new TreeMap<>();
        Instant oldest = now.minus(TrendBounds.RETAIN);
        for (Series s : previous.series().values()) {
            boolean sameLevel = s.key().isGroup() || previous.granularity() == snapshot.granularity();
            if (sameLevel && !s.lastSeen().isBefore(oldest)) {
                series.put(s.key(), s);
            }
        }
        Instant t = pointTime(snapshot);
        boolean newer = previous.time() == null || t.isAfter(previous.time());
        if (!snapshot.up() || snapshot.partial() || !newer) {
            return new TrendState(previous.cluster(), snapshot.granularity(), previous.time(), series);
        }
        observe(snapshot.rows(), r -> SeriesKey.ofGroup(r.group()), t, series, bounds.groupPoints(), true);
        observe(snapshot.rows(), snapshot.granularity() == Granularity.PARTITION
                ? r -> new SeriesKey(r.group(), r.topic(), r.partition())
                : r -> SeriesKey.ofTopic(r.group(), r.topic()), t, series, bounds.detailPoints(), false);
        return new TrendState(previous.cluster(), snapshot.granularity(), t, series);
    }

    /**
     * The trends of {@code snapshot}, once folded into {@code state}: none when the fold added no point for it (a down
     * or partial snapshot, or one older than the state's latest, which a later run's point overtook), rather than
     * those of the run before.
     */
    public TrendResults evaluate(TrendState state, ClusterSnapshot snapshot) {
        return pointTime(snapshot).equals(state.time()) ? evaluate(state) : TrendResults.NONE;
    }

    // the state keeps epoch milliseconds: compared finer, a snapshot re-folded into the state it was already written
    // to (a run retrying its conditional put) would look newer and add a second point at the same time
    private static Instant pointTime(ClusterSnapshot snapshot) {
        return snapshot.time().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Trends of every series the latest fold saw; a group's status is the worst of its topics or partitions. */
    public TrendResults evaluate(TrendState state) {
        List<Trend> groups = new ArrayList<>();
        List<Trend> details = new ArrayList<>();
        Map<String, Trend> worstDetail = new HashMap<>();
        for (Series s : state.current()) {
            if (!s.key().isGroup()) {
                Trend trend = trend(s, null);
                details.add(trend);
                worstDetail.merge(s.key().group(), trend, (a, b) -> b.status().code() > a.status().code() ? b : a);
            }
        }
        for (Series s : state.current()) {
            if (s.key().isGroup()) {
                groups.add(trend(s, worstDetail.get(s.key().group())));
            }
        }
        return new TrendResults(groups, details);
    }

    /** The trend of one series; a group takes its status from {@code worst} (its worst detail) when there is one. */
    Trend trend(Series s, Trend worst) {
        Window w = Window.of(s, bounds.window());
        TrendRule rule = worst != null ? worst.rule() : TrendRule.first(w, bounds);
        long lag = w.last().lag();
        List<TrendPoint> points = s.key().isGroup() ? s.points() : w.points();
        if (!w.hasSpan()) {
            return new Trend(s.key(), lag, null, null, null, rule.status(), rule, points);
        }
        double consume = (w.last().committed() - w.first().committed()) / w.seconds();
        double produce = (w.last().end() - w.first().end()) / w.seconds();
        return new Trend(s.key(), lag, consume, produce, eta(lag, consume, produce), rule.status(), rule, points);
    }

    /** Seconds until lag reaches 0 at the window's rates: 0 at lag 0, +Inf when the consumer gains nothing. */
    static double eta(long lag, double consume, double produce) {
        if (lag == 0) {
            return 0;
        }
        double gain = consume - produce;
        return gain > 0 ? lag / gain : Double.POSITIVE_INFINITY;
    }

    /**
     * Adds a point per series to {@code series}. Group series ({@code group} true) are downsampled too, and their
     * full-resolution points carry the group's largest time lag, for the charts.
     */
    private static void observe(List<PartitionLag> rows, Function<PartitionLag, SeriesKey> keyOf, Instant t,
                                Map<SeriesKey, Series> series, int keep, boolean group) {
        Map<SeriesKey, long[]> sums = new TreeMap<>();
        Map<SeriesKey, Double> lagSeconds = new HashMap<>();
        Map<SeriesKey, boolean[]> flags = new HashMap<>();
        Map<String, Boolean> members = new HashMap<>();
        for (PartitionLag r : rows) {
            // a member assigned a partition the group never committed on is still a live member
            members.merge(r.group(), !r.member().equals(Member.NONE), Boolean::logicalOr);
            if (!r.hasPosition()) {
                continue; // a never-committed partition has no position to trend
            }
            SeriesKey key = keyOf.apply(r);
            long[] sum = sums.computeIfAbsent(key, k -> new long[3]);
            long end = r.lagIsolation() == Isolation.READ_COMMITTED ? r.lastStableOffset() : r.highWatermark();
            // a position past the log end counts as caught up there (lag 0, as the row says), so that it cannot
            // cancel another partition's lag in the sums
            sum[0] += Math.min(r.committedOffset(), end);
            sum[1] += end;
            sum[2]++;
            flags.computeIfAbsent(key, k -> new boolean[1])[0] |= r.dataLossDetected();
            if (group && r.lagSeconds() != null) {
                lagSeconds.merge(key, r.lagSeconds(), Math::max);
            }
        }
        sums.forEach((key, sum) -> {
            TrendPoint point = new TrendPoint(t, sum[0], sum[1], lagSeconds.get(key), (int) sum[2]);
            Series before = series.get(key);
            List<TrendPoint> points = append(before == null ? List.of() : before.points(), point, keep);
            List<TrendPoint> day = before == null ? List.of() : before.day();
            List<TrendPoint> week = before == null ? List.of() : before.week();
            if (group) {
                day = Downsampling.add(day, point, TrendBounds.DAY_BUCKET, TrendBounds.DAY);
                week = Downsampling.add(week, point, TrendBounds.WEEK_BUCKET, TrendBounds.WEEK);
            }
            Instant since = before != null && before.latest().committed() == point.committed()
                    ? before.committedSince() : t;
            series.put(key, new Series(key, points, day, week, members.get(key.group()), flags.get(key)[0], since, t));
        });
    }

    private static List<TrendPoint> append(List<TrendPoint> points, TrendPoint point, int keep) {
        List<TrendPoint> next = new ArrayList<>(points.subList(Math.max(0, points.size() - keep + 1), points.size()));
        next.add(point);
        return next;
    }
}
