package io.lagsnap.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LagMathTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void lagIsHighWatermarkMinusCommittedAndNeverNegative() {
        assertThat(LagMath.lag(40, 100)).isEqualTo(60);
        assertThat(LagMath.lag(100, 100)).isZero();
        assertThat(LagMath.lag(150, 100)).isZero();
    }

    @Test
    void dataLossMathWhenCommittedIsBelowTheLowWatermark() {
        // log 30..100, group at 10: 20 records deleted unread
        assertThat(LagMath.dataLoss(10, 30)).isTrue();
        assertThat(LagMath.messagesLost(10, 30)).isEqualTo(20);
        assertThat(LagMath.retentionMargin(10, 30)).isEqualTo(-20);
        assertThat(LagMath.lag(10, 100)).isEqualTo(90);
        assertThat(LagMath.lagRetentionRatio(10, 30, 100)).isCloseTo(90 * 100.0 / 70, within(1e-9));
    }

    @Test
    void noDataLossAtOrAboveTheLowWatermark() {
        assertThat(LagMath.dataLoss(30, 30)).isFalse();
        assertThat(LagMath.messagesLost(30, 30)).isZero();
        assertThat(LagMath.retentionMargin(45, 30)).isEqualTo(15);
    }

    @Test
    void retentionRatioIsZeroForAnEmptyLogAndForCommittedBeyondHigh() {
        assertThat(LagMath.lagRetentionRatio(5, 5, 5)).isZero();
        assertThat(LagMath.lagRetentionRatio(150, 0, 100)).isZero();
        assertThat(LagMath.lagRetentionRatio(50, 0, 100)).isEqualTo(50.0);
        assertThat(LagMath.lagRetentionRatio(0, 0, 100)).isEqualTo(100.0);
    }

    @Test
    void lagSecondsIsZeroWithoutLagNullWithoutSampleAndClampedForFutureTimestamps() {
        assertThat(LagMath.lagSeconds(0, null, NOW)).isEqualTo(0.0);
        assertThat(LagMath.lagSeconds(5, null, NOW)).isNull();
        assertThat(LagMath.lagSeconds(5, NOW.toEpochMilli() - 600_250, NOW)).isEqualTo(600.25);
        assertThat(LagMath.lagSeconds(5, NOW.toEpochMilli() + 60_000, NOW)).isEqualTo(0.0);
        assertThat(LagMath.isFuture(NOW.toEpochMilli() + 1, NOW)).isTrue();
        assertThat(LagMath.isFuture(NOW.toEpochMilli(), NOW)).isFalse();
    }

    @Test
    void rowCarriesTheSampleOnlyWhenThereIsLag() {
        PartitionLag caughtUp = LagMath.row(group("g", GroupState.EMPTY, Isolation.READ_UNCOMMITTED),
                position("t", 0, 100L, null, new Watermarks(0, 100, 100), false),
                new LagMath.Sample(100L, NOW.toEpochMilli()), NOW);
        assertThat(caughtUp.lagSeconds()).isEqualTo(0.0);
        assertThat(caughtUp.sampledOffset()).isNull();
        assertThat(caughtUp.sampledTimestamp()).isNull();

        PartitionLag lagging = LagMath.row(group("g", GroupState.STABLE, Isolation.READ_UNCOMMITTED),
                position("t", 1, 40L, null, new Watermarks(0, 100, 100), true),
                new LagMath.Sample(41L, NOW.toEpochMilli() - 10_000), NOW);
        assertThat(lagging.lag()).isEqualTo(60);
        assertThat(lagging.lagSeconds()).isEqualTo(10.0);
        assertThat(lagging.sampledOffset()).isEqualTo(41L);
        assertThat(lagging.sampledTimestamp()).isEqualTo(NOW.minusSeconds(10));
        assertThat(lagging.compactionDetected()).isTrue();
        assertThat(lagging.dataLossDetected()).isFalse();
        assertThat(lagging.lagSource()).isEqualTo(LagSource.COMPUTED);
    }

    @Test
    void lagCommittedIsMeasuredToTheLastStableOffsetAndReportedUnderReadCommitted() {
        // 5 committed records and an open transaction of 3 (with its 6th offset the first of it): LSO 6, HW 9
        Watermarks open = new Watermarks(0, 9, 6);
        PartitionLag uncommitted = LagMath.row(group("g", GroupState.STABLE, Isolation.READ_UNCOMMITTED),
                position("t", 0, 6L, null, open, false), LagMath.Sample.NONE, NOW);
        assertThat(uncommitted.lag()).isEqualTo(3);
        assertThat(uncommitted.lagCommitted()).isZero();
        assertThat(uncommitted.reportedLag()).isEqualTo(3);
        assertThat(uncommitted.lagSeconds()).isNull();

        PartitionLag committed = LagMath.row(group("g", GroupState.STABLE, Isolation.READ_COMMITTED),
                position("t", 0, 6L, null, open, false), LagMath.Sample.NONE, NOW);
        assertThat(committed.lag()).isEqualTo(3);
        assertThat(committed.lagCommitted()).isZero();
        assertThat(committed.reportedLag()).isZero();
        assertThat(committed.lagSeconds()).isEqualTo(0.0);
        assertThat(committed.lagIsolation()).isEqualTo(Isolation.READ_COMMITTED);

        PartitionLag behind = LagMath.row(group("g", GroupState.STABLE, Isolation.READ_COMMITTED),
                position("t", 0, 2L, null, open, false), new LagMath.Sample(2L, NOW.toEpochMilli() - 4_000), NOW);
        assertThat(behind.lagCommitted()).isEqualTo(4);
        assertThat(behind.reportedLag()).isEqualTo(4);
        assertThat(behind.lagSeconds()).isEqualTo(4.0);
    }

    @Test
    void aBrokerReportedLagIsTakenAsIsAndMarked() {
        // a share group at start offset 8 of 20 records, 4 of them acknowledged beyond it: the broker counts 8
        PartitionLag share = LagMath.row(new LagMath.GroupContext("s", GroupType.SHARE, GroupState.STABLE,
                        Isolation.READ_UNCOMMITTED), position("t", 0, 8L, 8L, new Watermarks(0, 20, 20), false),
                LagMath.Sample.NONE, NOW);
        assertThat(share.lag()).isEqualTo(8);
        assertThat(share.lagCommitted()).isEqualTo(12);
        assertThat(share.lagSource()).isEqualTo(LagSource.BROKER);
        assertThat(share.groupType()).isEqualTo(GroupType.SHARE);
    }

    @Test
    void aPartitionNeverCommittedOnHasNoLagButWhatAResetToEarliestWouldGive() {
        PartitionLag never = LagMath.row(group("n", GroupState.STABLE, Isolation.READ_UNCOMMITTED),
                position("t", 0, null, null, new Watermarks(30, 100, 100), false), LagMath.Sample.NONE, NOW);
        assertThat(never.hasPosition()).isFalse();
        assertThat(never.committedOffset()).isNull();
        assertThat(never.lag()).isNull();
        assertThat(never.lagCommitted()).isNull();
        assertThat(never.reportedLag()).isNull();
        assertThat(never.lagIfReset()).isEqualTo(70);
        assertThat(never.lagSeconds()).isNull();
        assertThat(never.retentionMargin()).isNull();
        assertThat(never.lagRetentionRatio()).isNull();
        assertThat(never.messagesLost()).isZero();
        assertThat(never.dataLossDetected()).isFalse();
    }

    @Test
    void groupAggregatesCoverEveryGroupIncludingThoseWithoutRows() {
        List<PartitionLag> rows = List.of(
                row("a", "t1", 0, 60L, 12.5),
                row("a", "t1", 1, 40L, null),
                row("a", "t2", 0, 5L, 30.0),
                row("a", "t3", 0, null, null),
                row("b", "t1", 0, 0L, 0.0),
                row("n", "t1", 0, null, null));
        Map<String, LagMath.GroupContext> groups = new LinkedHashMap<>();
        groups.put("a", group("a", GroupState.STABLE, Isolation.READ_UNCOMMITTED));
        groups.put("b", group("b", GroupState.EMPTY, Isolation.READ_UNCOMMITTED));
        groups.put("c", group("c", GroupState.DEAD, Isolation.READ_UNCOMMITTED));
        groups.put("n", group("n", GroupState.STABLE, Isolation.READ_UNCOMMITTED));

        assertThat(LagMath.groupAggregates(rows, groups)).containsExactly(
                new GroupLag("a", GroupType.CLASSIC, GroupState.STABLE, 60L, 105L, 30.0),
                new GroupLag("b", GroupType.CLASSIC, GroupState.EMPTY, 0L, 0L, 0.0),
                new GroupLag("c", GroupType.CLASSIC, GroupState.DEAD, 0L, 0L, null),
                new GroupLag("n", GroupType.CLASSIC, GroupState.STABLE, null, null, null));
        assertThat(LagMath.groupTopicAggregates(rows)).containsExactly(
                new GroupTopicLag("a", "t1", 100, 0.0, 0),
                new GroupTopicLag("a", "t2", 5, 0.0, 0),
                new GroupTopicLag("b", "t1", 0, 0.0, 0));
    }

    @Test
    void aGroupTopicHasTheHighestRetentionRatioAndTheSumOfMessagesLostOfItsPartitions() {
        List<PartitionLag> rows = List.of(
                row("a", "t1", 0, 60L, null).toBuilder().lagRetentionRatio(60.0).messagesLost(0).build(),
                row("a", "t1", 1, 40L, null).toBuilder().lagRetentionRatio(130.0).messagesLost(30).build(),
                row("a", "t1", 2, 40L, null).toBuilder().lagRetentionRatio(110.0).messagesLost(10).build(),
                row("a", "t2", 0, 5L, null).toBuilder().lagRetentionRatio(5.0).build(),
                row("a", "t2", 1, null, null).toBuilder().messagesLost(99).build());

        assertThat(LagMath.groupTopicAggregates(rows)).containsExactly(
                new GroupTopicLag("a", "t1", 140, 130.0, 40),
                new GroupTopicLag("a", "t2", 5, 5.0, 0));
    }

    private static LagMath.GroupContext group(String name, GroupState state, Isolation isolation) {
        return new LagMath.GroupContext(name, GroupType.CLASSIC, state, isolation);
    }

    private static LagMath.Position position(String topic, int partition, Long committed, Long brokerLag,
                                             Watermarks w, boolean compacted) {
        return new LagMath.Position(topic, partition, committed, brokerLag, w, Member.NONE, compacted);
    }

    /** A row with {@code lag} to a high watermark of 100; a null lag is a partition never committed on. */
    private static PartitionLag row(String group, String topic, int partition, Long lag, Double seconds) {
        return PartitionLag.builder(group, topic, partition).groupState(GroupState.STABLE)
                .watermarks(new Watermarks(0, 100, 100)).committedOffset(lag == null ? null : 100 - lag).lag(lag)
                .lagCommitted(lag).lagSeconds(seconds).lagIfReset(lag == null ? 100L : null).build();
    }
}
