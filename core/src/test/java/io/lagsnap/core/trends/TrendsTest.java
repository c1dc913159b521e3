package io.lagsnap.core.trends;

import static io.lagsnap.core.trends.Histories.minute;
import static io.lagsnap.core.trends.Histories.row;
import static io.lagsnap.core.trends.Histories.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.Isolation;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Watermarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each status on a synthetic history, with exact rates and ETAs. */
class TrendsTest {
    private static final double EXACT = 1e-9;
    private final Trends trends = new Trends(TrendBounds.DEFAULT);

    /** One partition of group "g": committed[i] and high[i] at minute i. */
    private TrendResults history(long[] committed, long[] high, boolean members) {
        List<ClusterSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < committed.length; i++) {
            snapshots.add(snapshot(minute(i), row("g", 0, committed[i], high[i], members)));
        }
        return trends.evaluate(Histories.fold(trends, snapshots));
    }

    private static Trend partition(TrendResults results) {
        assertThat(results.details()).hasSize(1);
        return results.details().get(0);
    }

    @Test
    void aSnapshotFoldedAgainIntoTheStateItWasWrittenToAddsNoPoint() {
        // a snapshot's time has nanoseconds; the stored state keeps milliseconds
        ClusterSnapshot s = snapshot(minute(1).plusNanos(456_789), row("g", 0, 10, 20, true));
        TrendState written = trends.fold(TrendState.empty(Histories.CLUSTER, Granularity.TOPIC), s, minute(1));
        TrendState read = ((TrendCodec.Loaded) TrendCodec.decode(TrendCodec.encode(written), Histories.CLUSTER))
                .state();

        TrendState again = trends.fold(read, s, minute(1));

        assertThat(again).isEqualTo(read);
        assertThat(again.series().get(SeriesKey.ofGroup("g")).points()).hasSize(1);
        assertThat(trends.evaluate(again).groups().get(0).consumeRate()).isNull();
    }

    @Test
    void catchingUpIsOkWithTheEtaAtTheWindowsRates() {
        Trend t = partition(history(new long[] {0, 100, 200}, new long[] {300, 330, 360}, true));

        assertThat(t.rule()).isEqualTo(TrendRule.KEEPING_UP);
        assertThat(t.status()).isEqualTo(TrendStatus.OK);
        assertThat(t.lag()).isEqualTo(160);
        assertThat(t.consumeRate()).isCloseTo(200 / 120.0, within(EXACT));
        assertThat(t.produceRate()).isCloseTo(60 / 120.0, within(EXACT));
        // 160 / (200/120 - 60/120) = 160 * 120 / 140
        assertThat(t.etaSeconds()).isCloseTo(160 * 120 / 140.0, within(EXACT));
    }

    @Test
    void lagZeroSomewhereInTheWindowIsOkEvenWhileItGrowsNow() {
        Trend t = partition(history(new long[] {100, 100, 100}, new long[] {100, 150, 200}, true));

        assertThat(t.rule()).isEqualTo(TrendRule.CAUGHT_UP);
        assertThat(t.status()).isEqualTo(TrendStatus.OK);
        assertThat(t.consumeRate()).isEqualTo(0.0);
        assertThat(t.produceRate()).isCloseTo(100 / 120.0, within(EXACT));
        assertThat(t.etaSeconds()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void lagGrowingAtEveryStepWhileCommitsAdvanceIsWarnWithAnInfiniteEta() {
        Trend t = partition(history(new long[] {0, 10, 20}, new long[] {100, 200, 300}, true));

        assertThat(t.rule()).isEqualTo(TrendRule.FALLING_BEHIND);
        assertThat(t.status()).isEqualTo(TrendStatus.WARN);
        assertThat(t.lag()).isEqualTo(280);
        assertThat(t.consumeRate()).isCloseTo(20 / 120.0, within(EXACT));
        assertThat(t.produceRate()).isCloseTo(200 / 120.0, within(EXACT));
        assertThat(t.etaSeconds()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void lagGrowingButNotAtEveryStepIsOk() {
        Trend t = partition(history(new long[] {0, 10, 20, 30}, new long[] {100, 200, 150, 300}, true));

        assertThat(t.rule()).isEqualTo(TrendRule.KEEPING_UP);
        assertThat(t.etaSeconds()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aReadCommittedGroupIsMeasuredToTheLastStableOffset() {
        // an open transaction holds the LSO at 100 while the high watermark grows; the consumer reads up to it
        long[] committed = {40, 70, 100};
        long[] high = {120, 160, 200};
        List<ClusterSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < committed.length; i++) {
            snapshots.add(snapshot(minute(i), row("g", 0, committed[i], high[i], true).toBuilder()
                    .watermarks(new Watermarks(0, high[i], 100)).lagIsolation(Isolation.READ_COMMITTED)
                    .lagCommitted(100 - committed[i]).build()));
        }
        Trend t = partition(trends.evaluate(Histories.fold(trends, snapshots)));

        assertThat(t.rule()).isEqualTo(TrendRule.CAUGHT_UP); // to the high watermark it would be 100 behind
        assertThat(t.lag()).isEqualTo(0);
        assertThat(t.consumeRate()).isCloseTo(60 / 120.0, within(EXACT));
        assertThat(t.produceRate()).isEqualTo(0.0);
        assertThat(t.etaSeconds()).isEqualTo(0.0);
    }

    @Test
    void commitsStillWithMembersIsStall() {
        Trend t = partition(history(new long[] {50, 50, 50}, new long[] {100, 110, 120}, true));

        assertThat(t.rule()).isEqualTo(TrendRule.STALLED);
        assertThat(t.status()).isEqualTo(TrendStatus.STALL);
        assertThat(t.consumeRate()).isEqualTo(0.0);
        assertThat(t.produceRate()).isCloseTo(20 / 120.0, within(EXACT));
        assertThat(t.etaSeconds()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void commitsStillWithoutMembersIsStallUntilTheStopThresholdThenStop() {
        long[] committed = new long[17];
        long[] high = new long[17];
        java.util.Arrays.fill(committed, 50);
        java.util.Arrays.fill(high, 80);
        // minutes 0..15: unchanged for exactly 15 minutes, not longer than the threshold
        Trend stalled = partition(history(java.util.Arrays.copyOf(committed, 16), java.util.Arrays.copyOf(high, 16),
                false));
        assertThat(stalled.rule()).isEqualTo(TrendRule.STALLED);

        // minute 16: 16 minutes, measured from the first run, though the window holds only the last 10 points
        Trend stopped = partition(history(committed, high, false));
        assertThat(stopped.rule()).isEqualTo(TrendRule.STOPPED);
        assertThat(stopped.status()).isEqualTo(TrendStatus.STOP);
        assertThat(stopped.lag()).isEqualTo(30);
        assertThat(stopped.consumeRate()).isEqualTo(0.0);
        assertThat(stopped.produceRate()).isEqualTo(0.0);
        assertThat(stopped.etaSeconds()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aCommitChangeRestartsTheStopClock() {
        long[] committed = new long[17];
        long[] high = new long[17];
        java.util.Arrays.fill(committed, 50);
        java.util.Arrays.fill(high, 80);
        committed[0] = 40; // changed at minute 1: 15 minutes unchanged at minute 16
        Trend t = partition(history(committed, high, false));
        assertThat(t.rule()).isEqualTo(TrendRule.STALLED);
    }

    @Test
    void aMemberOnAPartitionTheGroupNeverCommittedOnKeepsTheGroupLiveSoStallNotStop() {
        List<ClusterSnapshot> snapshots = new ArrayList<>();
        for (int i = 0; i <= 16; i++) {
            PartitionLag unread = PartitionLag.builder("g", "new", 0).groupState(GroupState.STABLE)
                    .watermarks(new Watermarks(0, 80, 80)).member(Histories.LIVE).build();
            snapshots.add(snapshot(minute(i), row("g", "orders", 0, 50, 80, false, false), unread));
        }
        TrendResults results = trends.evaluate(Histories.fold(trends, snapshots));

        // 16 minutes without a commit: STOP if the group had no member, STALL with the one on "new"
        Trend t = partition(results);
        assertThat(t.key()).isEqualTo(new SeriesKey("g", "orders", 0));
        assertThat(t.rule()).isEqualTo(TrendRule.STALLED);
    }

    @Test
    void aPositionPastTheLogEndCannotCancelAnotherPartitionsLag() {
        TrendState state = TrendState.empty(Histories.CLUSTER, Granularity.TOPIC);
        long[][] committed = {{1010, 990}, {1070, 995}};
        long[][] high = {{1000, 1000}, {1060, 1010}};
        for (int i = 0; i < 2; i++) {
            state = trends.fold(state, snapshot(Granularity.TOPIC, minute(i), List.of(
                    row("g", "t", 0, committed[i][0], high[i][0], true, false),
                    row("g", "t", 1, committed[i][1], high[i][1], true, false))), minute(i));
        }
        TrendResults results = trends.evaluate(state);

        // the rows' lags: 0 + 10, then 0 + 15; summed unclamped, partition 0's excess would cancel them (0, then 5)
        Trend topic = partition(results);
        assertThat(topic.lag()).isEqualTo(15);
        assertThat(topic.rule()).isEqualTo(TrendRule.FALLING_BEHIND);
        assertThat(topic.consumeRate()).isCloseTo((1060 + 995 - 1000 - 990) / 60.0, within(EXACT));
        assertThat(topic.produceRate()).isCloseTo((1060 + 1010 - 1000 - 1000) / 60.0, within(EXACT));
        assertThat(results.groups().get(0).lag()).isEqualTo(15);
    }

    @Test
    void committedOffsetGoingBackwardsIsRewind() {
        Trend t = partition(history(new long[] {100, 50, 60}, new long[] {200, 200, 200}, true));

        assertThat(t.rule()).isEqualTo(TrendRule.REWOUND);
        assertThat(t.status()).isEqualTo(TrendStatus.REWIND);
        assertThat(t.consumeRate()).isCloseTo(-40 / 120.0, within(EXACT));
        assertThat(t.etaSeconds()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void dataLossIsErrBeforeAnyOtherRule() {
        TrendState state = Histories.fold(trends, List.of(
                snapshot(minute(0), row("g", "orders", 0, 100, 200, true, false)),
                snapshot(minute(1), row("g", "orders", 0, 50, 200, true, true))));
        Trend t = partition(trends.evaluate(state));

        assertThat(t.rule()).isEqualTo(TrendRule.DATA_LOSS);
        assertThat(t.status()).isEqualTo(TrendStatus.ERR);
    }

    @Test
    void aSinglePointHasNoRatesNoEtaAndAStatusFromItAlone() {
        Trend t = partition(history(new long[] {10}, new long[] {20}, true));

        assertThat(t.consumeRate()).isNull();
        assertThat(t.produceRate()).isNull();
        assertThat(t.etaSeconds()).isNull();
        assertThat(t.rule()).isEqualTo(TrendRule.KEEPING_UP);
    }

    @Test
    void theGroupTakesItsWorstPartitionsStatusAndRatesFromItsSums() {
        List<ClusterSnapshot> snapshots = List.of(
                snapshot(minute(0), row("g", 0, 0, 100, true), row("g", 1, 10, 20, true)),
                snapshot(minute(1), row("g", 0, 60, 130, true), row("g", 1, 10, 30, true)),
                snapshot(minute(2), row("g", 0, 120, 160, true), row("g", 1, 10, 40, true)));
        TrendResults results = trends.evaluate(Histories.fold(trends, snapshots));

        assertThat(results.details()).extracting(Trend::status).containsExactly(TrendStatus.OK, TrendStatus.STALL);
        assertThat(results.groups()).hasSize(1);
        Trend g = results.groups().get(0);
        assertThat(g.key()).isEqualTo(SeriesKey.ofGroup("g"));
        assertThat(g.status()).isEqualTo(TrendStatus.STALL);
        assertThat(g.rule()).isEqualTo(TrendRule.STALLED);
        assertThat(g.lag()).isEqualTo(40 + 30);
        assertThat(g.consumeRate()).isCloseTo(120 / 120.0, within(EXACT));
        assertThat(g.produceRate()).isCloseTo(80 / 120.0, within(EXACT));
        assertThat(g.etaSeconds()).isCloseTo(70 / (40 / 120.0), within(EXACT));
    }

    @Test
    void atTopicGranularityTheDetailsAreTopicSums() {
        TrendState state = TrendState.empty(Histories.CLUSTER, Granularity.TOPIC);
        for (int i = 0; i < 2; i++) {
            state = trends.fold(state, snapshot(Granularity.TOPIC, minute(i), List.of(
                    row("g", "a", 0, 10 * i, 100, true, false), row("g", "a", 1, 10 * i, 100, true, false),
                    row("g", "b", 0, 5, 5, true, false))), minute(i));
        }
        TrendResults results = trends.evaluate(state);
        assertThat(results.details()).extracting(Trend::key)
                .containsExactly(SeriesKey.ofTopic("g", "a"), SeriesKey.ofTopic("g", "b"));
        assertThat(results.details().get(0).lag()).isEqualTo(180);
        assertThat(results.details().get(0).consumeRate()).isCloseTo(20 / 60.0, within(EXACT));
        assertThat(results.details().get(1).rule()).isEqualTo(TrendRule.CAUGHT_UP);
    }

    /** A partition gaining or losing its position changes what the sums cover: the window starts again there. */
    @Test
    void aPartitionJoiningOrLeavingTheSumsRestartsTheWindowInsteadOfAJumpOrARewind() {
        long[][][] minutes = { // per minute, per partition: committed, high (none: no position)
            {{100, 110}},
            {{160, 170}, {1_000_000, 1_000_010}},
            {{220, 230}, {1_000_060, 1_000_070}},
            {{280, 290}}};
        TrendState state = TrendState.empty(Histories.CLUSTER, Granularity.TOPIC);
        List<Trend> topic = new ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            List<PartitionLag> rows = new ArrayList<>();
            for (int p = 0; p < minutes[i].length; p++) {
                rows.add(row("g", "t", p, minutes[i][p][0], minutes[i][p][1], true, false));
            }
            state = trends.fold(state, snapshot(Granularity.TOPIC, minute(i), rows), minute(i));
            topic.add(partition(trends.evaluate(state)));
        }

        assertThat(topic.get(0).consumeRate()).isNull();
        // partition 1's first commit is not 16,667 records a second: no rate until a second point of two partitions
        assertThat(topic.get(1).consumeRate()).isNull();
        assertThat(topic.get(1).lag()).isEqualTo(20);
        assertThat(topic.get(2).consumeRate()).isCloseTo(120 / 60.0, within(EXACT));
        assertThat(topic.get(2).produceRate()).isCloseTo(120 / 60.0, within(EXACT));
        // partition 1 gone (its offset expired): a fall of a million in the sum, and no rewind
        assertThat(topic.get(3).rule()).isNotEqualTo(TrendRule.REWOUND);
        assertThat(topic.get(3).status()).isEqualTo(TrendStatus.OK);
        assertThat(topic.get(3).consumeRate()).isNull();
        assertThat(state.series().get(SeriesKey.ofTopic("g", "t")).points()).extracting(TrendPoint::partitions)
                .containsExactly(1, 2, 2, 1);
    }

    @Test
    void absentSeriesGetNoTrendAndAgeOutAfterSevenDays() {
        Trends t = trends;
        TrendState state = Histories.fold(t, List.of(
                snapshot(minute(0), row("gone", 0, 1, 2, true), row("g", 0, 1, 2, true)),
                snapshot(minute(1), row("g", 0, 2, 2, true))));
        assertThat(state.series()).containsKey(SeriesKey.ofGroup("gone"));
        assertThat(t.evaluate(state).groups()).extracting(Trend::key).containsExactly(SeriesKey.ofGroup("g"));

        Duration week = TrendBounds.RETAIN;
        TrendState kept = t.fold(state, snapshot(minute(0).plus(week), row("g", 0, 3, 3, true)), minute(0).plus(week));
        assertThat(kept.series()).containsKey(SeriesKey.ofGroup("gone"));
        TrendState aged = t.fold(kept, snapshot(minute(1).plus(week), row("g", 0, 3, 3, true)),
                minute(0).plus(week).plusMillis(1));
        assertThat(aged.series().keySet()).extracting(SeriesKey::group).containsOnly("g");
    }

    @Test
    void downPartialAndRepeatedSnapshotsAddNoPoints() {
        TrendState state = Histories.fold(trends, List.of(snapshot(minute(0), row("g", 0, 1, 2, true))));
        ClusterSnapshot down = ClusterSnapshot.builder(Histories.CLUSTER).granularity(Granularity.PARTITION)
                .time(minute(1)).up(false).error("timeout").build();
        ClusterSnapshot full = snapshot(minute(2), row("g", 0, 1, 2, true));
        ClusterSnapshot partial = ClusterSnapshot.builder(full.name()).labels(full.labels())
                .granularity(full.granularity()).time(full.time()).partial(true).rows(full.rows())
                .sampling(full.sampling()).build();

        assertThat(trends.fold(state, down, minute(1))).isEqualTo(state);
        assertThat(trends.fold(state, partial, minute(2))).isEqualTo(state);
        assertThat(trends.fold(state, snapshot(minute(0), row("g", 0, 5, 9, true)), minute(0))).isEqualTo(state);
    }

    @Test
    void aSnapshotThatAddedNoPointReportsNoTrendsNotThoseOfTheRunBefore() {
        TrendState state = Histories.fold(trends, List.of(snapshot(minute(0), row("g", 0, 1, 61, true)),
                snapshot(minute(1), row("g", 0, 2, 62, true))));
        ClusterSnapshot partial = ClusterSnapshot.builder(Histories.CLUSTER).granularity(Granularity.PARTITION)
                .time(minute(2)).partial(true).rows(List.of(row("g", 0, 62, 62, true))).build();
        // a run a later one overtook: its snapshot is older than the state's latest point
        ClusterSnapshot overtaken = snapshot(minute(1).minusSeconds(30), row("g", 0, 2, 62, true));
        ClusterSnapshot latest = snapshot(minute(1), row("g", 0, 2, 62, true));

        assertThat(trends.evaluate(trends.fold(state, partial, minute(2)), partial)).isEqualTo(TrendResults.NONE);
        assertThat(trends.evaluate(trends.fold(state, overtaken, minute(2)), overtaken))
                .isEqualTo(TrendResults.NONE);
        // the snapshot whose point is the latest (also when folded again) reports the state's trends
        assertThat(trends.evaluate(trends.fold(state, latest, minute(2)), latest).groups())
                .singleElement().satisfies(g -> assertThat(g.lag()).isEqualTo(60));
    }

    @Test
    void aSnapshotOfAnotherClusterIsRefused() {
        TrendState other = TrendState.empty("staging", Granularity.PARTITION);
        assertThatThrownBy(() -> trends.fold(other, snapshot(minute(0)), minute(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trend state of cluster \"staging\" cannot fold a snapshot of \"prod\"");
    }

    @Test
    void historyStaysWithinItsBoundsOverAWeekOfMinutes() {
        TrendState state = TrendState.empty(Histories.CLUSTER, Granularity.PARTITION);
        int minutes = 8 * 24 * 60;
        for (int i = 0; i < minutes; i++) {
            state = trends.fold(state, snapshot(minute(i), row("g", 0, i, 2L * i, true)), minute(i));
        }
        Series group = state.series().get(SeriesKey.ofGroup("g"));
        Series partition = state.series().get(new SeriesKey("g", "orders", 0));
        assertThat(group.points()).hasSize(60);
        assertThat(group.latest().time()).isEqualTo(minute(minutes - 1));
        assertThat(group.day()).hasSize(96);
        assertThat(group.week()).hasSize(84);
        assertThat(partition.points()).hasSize(10);
        assertThat(partition.day()).isEmpty();
        // downsampled points are the last of each bucket: minute 14 of every quarter hour but the current one
        assertThat(group.day().get(94).time()).isEqualTo(minute(minutes - 1).minus(Duration.ofMinutes(15)));
    }
}
