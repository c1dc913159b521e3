package io.lagsnap.core.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupTopicLag;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
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
        PartitionLag caughtUp = LagMath.row("g", GroupState.EMPTY, "t", 0, 100, 0, 100, Member.NONE, false, 100L,
                NOW.toEpochMilli(), NOW);
        assertThat(caughtUp.lagSeconds()).isEqualTo(0.0);
        assertThat(caughtUp.sampledOffset()).isNull();
        assertThat(caughtUp.sampledTimestamp()).isNull();

        PartitionLag lagging = LagMath.row("g", GroupState.STABLE, "t", 1, 40, 0, 100, Member.NONE, true, 41L,
                NOW.toEpochMilli() - 10_000, NOW);
        assertThat(lagging.lag()).isEqualTo(60);
        assertThat(lagging.lagSeconds()).isEqualTo(10.0);
        assertThat(lagging.sampledOffset()).isEqualTo(41L);
        assertThat(lagging.sampledTimestamp()).isEqualTo(NOW.minusSeconds(10));
        assertThat(lagging.compactionDetected()).isTrue();
        assertThat(lagging.dataLossDetected()).isFalse();
    }

    @Test
    void groupAggregatesCoverEveryGroupIncludingThoseWithoutRows() {
        List<PartitionLag> rows = List.of(
                row("a", "t1", 0, 60, 12.5),
                row("a", "t1", 1, 40, null),
                row("a", "t2", 0, 5, 30.0),
                row("b", "t1", 0, 0, 0.0));
        Map<String, GroupState> states = new LinkedHashMap<>();
        states.put("a", GroupState.STABLE);
        states.put("b", GroupState.EMPTY);
        states.put("c", GroupState.DEAD);

        assertThat(LagMath.groupAggregates(rows, states)).containsExactly(
                new GroupLag("a", GroupState.STABLE, 60, 105, 30.0),
                new GroupLag("b", GroupState.EMPTY, 0, 0, 0.0),
                new GroupLag("c", GroupState.DEAD, 0, 0, null));
        assertThat(LagMath.groupTopicAggregates(rows)).containsExactly(
                new GroupTopicLag("a", "t1", 100),
                new GroupTopicLag("a", "t2", 5),
                new GroupTopicLag("b", "t1", 0));
    }

    private static PartitionLag row(String group, String topic, int partition, long lag, Double seconds) {
        return new PartitionLag(group, GroupState.STABLE, topic, partition, 100 - lag, 0, 100, lag, seconds, null,
                null, Member.NONE, 0, 100 - lag, lag, false, false);
    }
}
