package io.lagsnap.sink.api.model;

import java.time.Instant;

/**
 * One row: a group's position on one partition. Partitions with a committed offset (a share group's start offset)
 * have a row, and so does every partition assigned to a member of a group that has never committed at all: that
 * row has no position, so {@code committedOffset}, {@code lag}, {@code lagCommitted}, {@code retentionMargin} and
 * {@code lagRetentionRatio} are null and {@code lagIfReset} says what an earliest reset would give. Build one with
 * {@link #builder}.
 *
 * @param committedOffset the committed offset; a share group's share-partition start offset; null if none
 * @param lastStableOffset the last stable offset: what a read_committed consumer can reach
 * @param lag high watermark minus the position, clamped at 0; for a share group the broker's own count when
 *     {@code lagSource} is BROKER
 * @param lagCommitted last stable offset minus the position, clamped at 0: a read_committed consumer's lag
 * @param lagIsolation which of the two lags the metrics and aggregates report ({@link #reportedLag()})
 * @param lagIfReset high minus low watermark when there is no position (auto.offset.reset=earliest), else null
 * @param lagSeconds age of the oldest unconsumed record, null when it could not be sampled or there is no position
 * @param sampledOffset offset of the record whose timestamp gave {@code lagSeconds}; greater than the committed
 *     offset when compaction, transaction markers, aborted records (read_committed) or retention moved the first
 *     record forward; the high watermark (with no timestamp, lag_seconds 0) when no record is left before it; null
 *     if not sampled
 * @param sampledTimestamp that record's timestamp, null if not sampled
 */
public record PartitionLag(
        String group,
        GroupType groupType,
        GroupState groupState,
        String topic,
        int partition,
        Long committedOffset,
        long lowWatermark,
        long highWatermark,
        long lastStableOffset,
        Long lag,
        Long lagCommitted,
        LagSource lagSource,
        Isolation lagIsolation,
        Long lagIfReset,
        Double lagSeconds,
        Long sampledOffset,
        Instant sampledTimestamp,
        Member member,
        long messagesLost,
        Long retentionMargin,
        Double lagRetentionRatio,
        boolean compactionDetected,
        boolean dataLossDetected) {

    /** The lag the metrics and aggregates use: {@code lagCommitted} under read_committed, else {@code lag}. */
    public Long reportedLag() {
        return lagIsolation == Isolation.READ_COMMITTED ? lagCommitted : lag;
    }

    /** True when the group has a position here (a committed or start offset), false for a never-committed row. */
    public boolean hasPosition() {
        return committedOffset != null;
    }

    public static Builder builder(String group, String topic, int partition) {
        return new Builder(group, topic, partition);
    }

    /** This row as a builder, to change a few fields. */
    public Builder toBuilder() {
        return new Builder(group, topic, partition).groupType(groupType).groupState(groupState)
                .committedOffset(committedOffset).watermarks(new Watermarks(lowWatermark, highWatermark,
                        lastStableOffset))
                .lag(lag).lagCommitted(lagCommitted).lagSource(lagSource).lagIsolation(lagIsolation)
                .lagIfReset(lagIfReset).lagSeconds(lagSeconds).sampled(sampledOffset, sampledTimestamp)
                .member(member).messagesLost(messagesLost).retentionMargin(retentionMargin)
                .lagRetentionRatio(lagRetentionRatio).compactionDetected(compactionDetected)
                .dataLossDetected(dataLossDetected);
    }

    /** Defaults: a consumer group, Unknown state, no member, lag computed and reported read_uncommitted. */
    public static final class Builder {
        private final String group;
        private final String topic;
        private final int partition;
        private GroupType groupType = GroupType.CONSUMER;
        private GroupState groupState = GroupState.UNKNOWN;
        private Long committedOffset;
        private Watermarks watermarks = new Watermarks(0, 0, 0);
        private Long lag;
        private Long lagCommitted;
        private LagSource lagSource = LagSource.COMPUTED;
        private Isolation lagIsolation = Isolation.READ_UNCOMMITTED;
        private Long lagIfReset;
        private Double lagSeconds;
        private Long sampledOffset;
        private Instant sampledTimestamp;
        private Member member = Member.NONE;
        private long messagesLost;
        private Long retentionMargin;
        private Double lagRetentionRatio;
        private boolean compactionDetected;
        private boolean dataLossDetected;

        private Builder(String group, String topic, int partition) {
            this.group = group;
            this.topic = topic;
            this.partition = partition;
        }

        public Builder groupType(GroupType v) {
            groupType = v;
            return this;
        }

        public Builder groupState(GroupState v) {
            groupState = v;
            return this;
        }

        public Builder committedOffset(Long v) {
            committedOffset = v;
            return this;
        }

        public Builder watermarks(Watermarks v) {
            watermarks = v;
            return this;
        }

        public Builder lag(Long v) {
            lag = v;
            return this;
        }

        public Builder lagCommitted(Long v) {
            lagCommitted = v;
            return this;
        }

        public Builder lagSource(LagSource v) {
            lagSource = v;
            return this;
        }

        public Builder lagIsolation(Isolation v) {
            lagIsolation = v;
            return this;
        }

        public Builder lagIfReset(Long v) {
            lagIfReset = v;
            return this;
        }

        public Builder lagSeconds(Double v) {
            lagSeconds = v;
            return this;
        }

        public Builder sampled(Long offset, Instant timestamp) {
            sampledOffset = offset;
            sampledTimestamp = timestamp;
            return this;
        }

        public Builder member(Member v) {
            member = v;
            return this;
        }

        public Builder messagesLost(long v) {
            messagesLost = v;
            return this;
        }

        public Builder retentionMargin(Long v) {
            retentionMargin = v;
            return this;
        }

        public Builder lagRetentionRatio(Double v) {
            lagRetentionRatio = v;
            return this;
        }

        public Builder compactionDetected(boolean v) {
            compactionDetected = v;
            return this;
        }

        public Builder dataLossDetected(boolean v) {
            dataLossDetected = v;
            return this;
        }

        public PartitionLag build() {
            return new PartitionLag(group, groupType, groupState, topic, partition, committedOffset,
                    watermarks.low(), watermarks.high(), watermarks.lastStable(), lag, lagCommitted, lagSource,
                    lagIsolation, lagIfReset, lagSeconds, sampledOffset, sampledTimestamp, member, messagesLost,
                    retentionMargin, lagRetentionRatio, compactionDetected, dataLossDetected);
        }
    }
}
