package io.lagsnap.sink.api.model;

import java.time.Instant;

/**
 * One row: a group's position on one partition. Only partitions with a committed offset have a row.
 *
 * @param lagSeconds age of the oldest unconsumed record, null when it could not be sampled
 * @param sampledOffset offset of the record whose timestamp gave {@code lagSeconds}; greater than the committed
 *     offset when compaction, transaction markers or retention moved the first record forward; the high watermark
 *     (with no timestamp, lag_seconds 0) when no record is left before it; null if not sampled
 * @param sampledTimestamp that record's timestamp, null if not sampled
 */
public record PartitionLag(
        String group,
        GroupState groupState,
        String topic,
        int partition,
        long committedOffset,
        long lowWatermark,
        long highWatermark,
        long lag,
        Double lagSeconds,
        Long sampledOffset,
        Instant sampledTimestamp,
        Member member,
        long messagesLost,
        long retentionMargin,
        double lagRetentionRatio,
        boolean compactionDetected,
        boolean dataLossDetected) {
}
