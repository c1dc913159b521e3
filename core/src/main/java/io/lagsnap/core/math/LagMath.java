package io.lagsnap.core.math;

import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupTopicLag;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.Isolation;
import io.lagsnap.sink.api.model.LagSource;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Watermarks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The lag math: pure functions from plain numbers to rows and aggregates. No I/O, no clocks. */
public final class LagMath {
    private LagMath() {
    }

    /** Offset lag, never negative: a committed offset past the high watermark is caught up, not ahead. */
    public static long lag(long committed, long high) {
        return Math.max(high - committed, 0);
    }

    /** Records deleted by retention before the group read them. */
    public static long messagesLost(long committed, long low) {
        return Math.max(low - committed, 0);
    }

    /** How far the committed offset is ahead of the log start; negative under data loss. */
    public static long retentionMargin(long committed, long low) {
        return committed - low;
    }

    /**
     * Lag as a percentage of the retained log: 100 means the consumer sits at the log start, above 100 it has lost
     * data. The numerator is the clamped lag, so a committed offset beyond the high watermark gives 0, not a
     * negative ratio.
     */
    public static double lagRetentionRatio(long committed, long low, long high) {
        if (high <= low) {
            return 0.0;
        }
        return lag(committed, high) * 100.0 / (high - low);
    }

    public static boolean dataLoss(long committed, long low) {
        return committed < low;
    }

    /**
     * Time lag in seconds: {@code now - recordTimestamp}, clamped at 0 for clock-skewed future timestamps.
     * 0 without a sample when there is no lag; null when there is lag but no sample.
     */
    public static Double lagSeconds(long lag, Long recordTimestampMs, Instant now) {
        if (lag == 0) {
            return 0.0;
        }
        if (recordTimestampMs == null) {
            return null;
        }
        return Math.max(now.toEpochMilli() - recordTimestampMs, 0L) / 1000.0;
    }

    public static boolean isFuture(long recordTimestampMs, Instant now) {
        return recordTimestampMs > now.toEpochMilli();
    }

    /** The group a row belongs to, and which lag its metrics report. */
    public record GroupContext(String group, GroupType type, GroupState state, Isolation isolation) {
    }

    /**
     * A group's position on one partition.
     *
     * @param committed the committed (or share start) offset; null when the group never committed here
     * @param brokerLag the broker's own lag count (share groups, KIP-1226), null when it reports none
     */
    public record Position(String topic, int partition, Long committed, Long brokerLag, Watermarks watermarks,
                           Member member, boolean compacted) {
    }

    /** The sampled record for a position: its offset and timestamp, both null when nothing was sampled. */
    public record Sample(Long offset, Long timestampMs) {
        public static final Sample NONE = new Sample(null, null);
    }

    /**
     * One row from a group's position on a partition and the sampled record, if any. A sample at the end of what
     * the group can read (the high watermark, or the last stable offset under read_committed) without a timestamp
     * means no record is left before it (only transaction markers, aborted or compacted records): nothing to
     * consume, so lag_seconds is 0. Without a position the row carries only what an earliest reset would give.
     */
    public static PartitionLag row(GroupContext group, Position p, Sample sample, Instant now) {
        Watermarks w = p.watermarks();
        PartitionLag.Builder row = PartitionLag.builder(group.group(), p.topic(), p.partition())
                .groupType(group.type()).groupState(group.state()).watermarks(w).member(p.member())
                .lagIsolation(group.isolation()).compactionDetected(p.compacted());
        if (p.committed() == null) {
            return row.lagIfReset(w.high() - w.low()).build();
        }
        long committed = p.committed();
        long lag = p.brokerLag() != null ? p.brokerLag() : lag(committed, w.high());
        long lagCommitted = lag(committed, w.lastStable());
        boolean readCommitted = group.isolation() == Isolation.READ_COMMITTED;
        long reported = readCommitted ? lagCommitted : lag;
        long end = readCommitted ? w.lastStable() : w.high();
        boolean sampled = reported > 0 && sample.offset() != null;
        // what is still to consume starts at the sampled record, not at the committed offset
        Double lagSeconds = lagSeconds(sampled ? lag(sample.offset(), end) : reported, sample.timestampMs(), now);
        return row.committedOffset(committed).lag(lag).lagCommitted(lagCommitted)
                .lagSource(p.brokerLag() != null ? LagSource.BROKER : LagSource.COMPUTED)
                .lagSeconds(lagSeconds)
                .sampled(sampled ? sample.offset() : null,
                        sampled && sample.timestampMs() != null ? Instant.ofEpochMilli(sample.timestampMs()) : null)
                .messagesLost(messagesLost(committed, w.low()))
                .retentionMargin(retentionMargin(committed, w.low()))
                .lagRetentionRatio(lagRetentionRatio(committed, w.low(), w.high()))
                .dataLossDetected(dataLoss(committed, w.low()))
                .build();
    }

    /**
     * Per-group aggregates of the reported lag for every group in {@code groups} (in its iteration order). A group
     * with no rows at all gets zero lag and no time lag, as klag-exporter reports it; a group whose rows all lack a
     * position (it never committed) gets no lag aggregate, and its rows without a position never count as 0.
     */
    public static List<GroupLag> groupAggregates(List<PartitionLag> rows, Map<String, GroupContext> groups) {
        Map<String, GroupTotals> totals = new HashMap<>();
        for (PartitionLag r : rows) {
            totals.computeIfAbsent(r.group(), g -> new GroupTotals()).add(r);
        }
        List<GroupLag> out = new ArrayList<>(groups.size());
        groups.forEach((name, g) -> {
            GroupTotals t = totals.get(name);
            if (t == null) {
                out.add(new GroupLag(name, g.type(), g.state(), 0L, 0L, null));
            } else if (!t.withPosition) {
                out.add(new GroupLag(name, g.type(), g.state(), null, null, null));
            } else {
                out.add(new GroupLag(name, g.type(), g.state(), t.maxLag, t.sumLag, t.maxSeconds));
            }
        });
        return out;
    }

    /**
     * One group's running aggregates. A method per row, not the loop's body: a cold JVM compiles a method after a
     * few hundred calls but runs a loop of a method called once interpreted for tens of thousands of iterations.
     */
    private static final class GroupTotals {
        private boolean withPosition;
        private long maxLag;
        private long sumLag;
        private Double maxSeconds;

        void add(PartitionLag r) {
            if (!r.hasPosition()) {
                return;
            }
            withPosition = true;
            maxLag = Math.max(maxLag, r.reportedLag());
            sumLag += r.reportedLag();
            if (r.lagSeconds() != null) {
                maxSeconds = maxSeconds == null ? r.lagSeconds() : Math.max(maxSeconds, r.lagSeconds());
            }
        }
    }

    /** The aggregates per (group, topic) over rows with a position, in the order the pairs appear. */
    public static List<GroupTopicLag> groupTopicAggregates(List<PartitionLag> rows) {
        Map<String, Map<String, GroupTopicTotals>> totals = new LinkedHashMap<>();
        for (PartitionLag r : rows) {
            addToGroupTopic(totals, r);
        }
        List<GroupTopicLag> out = new ArrayList<>();
        totals.forEach((group, topics) -> topics.forEach((topic, t) -> out.add(
                new GroupTopicLag(group, topic, t.sumLag, t.maxRatio, t.messagesLost))));
        return out;
    }

    // the loop's body as a method, for the same reason as GroupTotals.add
    private static void addToGroupTopic(Map<String, Map<String, GroupTopicTotals>> totals, PartitionLag r) {
        if (!r.hasPosition()) {
            return;
        }
        GroupTopicTotals t = totals.computeIfAbsent(r.group(), g -> new LinkedHashMap<>())
                .computeIfAbsent(r.topic(), topic -> new GroupTopicTotals());
        t.sumLag += r.reportedLag();
        if (r.lagRetentionRatio() != null) {
            t.maxRatio = Math.max(t.maxRatio, r.lagRetentionRatio());
        }
        t.messagesLost += r.messagesLost();
    }

    private static final class GroupTopicTotals {
        private long sumLag;
        private double maxRatio;
        private long messagesLost;
    }
}
