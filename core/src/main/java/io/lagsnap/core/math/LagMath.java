package io.lagsnap.core.math;

import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupTopicLag;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * One row from the raw positions of a group on a partition and the sampled record, if any. A sample at the high
     * watermark without a timestamp means no record is left before it (only transaction markers, or records removed
     * by compaction): nothing to consume, so lag_seconds is 0.
     */
    public static PartitionLag row(String group, GroupState state, String topic, int partition, long committed,
                                   long low, long high, Member member, boolean compacted, Long sampledOffset,
                                   Long sampledTimestampMs, Instant now) {
        long lag = lag(committed, high);
        boolean sampled = lag > 0 && sampledOffset != null;
        // what is still to consume starts at the sampled record, not at the committed offset
        Double lagSeconds = lagSeconds(sampled ? lag(sampledOffset, high) : lag, sampledTimestampMs, now);
        return new PartitionLag(group, state, topic, partition, committed, low, high, lag, lagSeconds,
                sampled ? sampledOffset : null,
                sampled && sampledTimestampMs != null ? Instant.ofEpochMilli(sampledTimestampMs) : null,
                member, messagesLost(committed, low), retentionMargin(committed, low),
                lagRetentionRatio(committed, low, high), compacted, dataLoss(committed, low));
    }

    /**
     * Per-group aggregates for every group in {@code states} (in its iteration order), including groups with no
     * committed offsets, which get zero lag and no time lag.
     */
    public static List<GroupLag> groupAggregates(List<PartitionLag> rows, Map<String, GroupState> states) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        Map<String, Double> maxSeconds = new LinkedHashMap<>();
        for (PartitionLag r : rows) {
            long[] s = sums.computeIfAbsent(r.group(), g -> new long[2]);
            s[0] = Math.max(s[0], r.lag());
            s[1] += r.lag();
            if (r.lagSeconds() != null) {
                maxSeconds.merge(r.group(), r.lagSeconds(), Math::max);
            }
        }
        List<GroupLag> out = new ArrayList<>(states.size());
        states.forEach((group, state) -> {
            long[] s = sums.getOrDefault(group, new long[2]);
            out.add(new GroupLag(group, state, s[0], s[1], maxSeconds.get(group)));
        });
        return out;
    }

    /** Sum of lag per (group, topic), in the order the pairs first appear in {@code rows}. */
    public static List<GroupTopicLag> groupTopicAggregates(List<PartitionLag> rows) {
        Map<String, Map<String, Long>> sums = new LinkedHashMap<>();
        for (PartitionLag r : rows) {
            sums.computeIfAbsent(r.group(), g -> new LinkedHashMap<>()).merge(r.topic(), r.lag(), Long::sum);
        }
        List<GroupTopicLag> out = new ArrayList<>();
        sums.forEach((group, topics) -> topics.forEach((topic, sum) -> out.add(new GroupTopicLag(group, topic, sum))));
        return out;
    }
}
