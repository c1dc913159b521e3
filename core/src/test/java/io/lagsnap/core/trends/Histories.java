package io.lagsnap.core.trends;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Watermarks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Synthetic snapshots for trend tests: rows with just what trends read. */
final class Histories {
    static final String CLUSTER = "prod";
    static final Instant T0 = Instant.parse("2026-11-17T22:00:00Z");
    static final Member LIVE = new Member("/10.0.0.1", "consumer-1", "client-1");

    private Histories() {
    }

    static PartitionLag row(String group, String topic, int partition, long committed, long high, boolean members,
                            boolean dataLoss) {
        return PartitionLag.builder(group, topic, partition)
                .groupState(members ? GroupState.STABLE : GroupState.EMPTY)
                .committedOffset(committed).watermarks(new Watermarks(0, high, high))
                .lag(Math.max(0, high - committed)).member(members ? LIVE : Member.NONE)
                .retentionMargin(0L).lagRetentionRatio(0.0).dataLossDetected(dataLoss).build();
    }

    static PartitionLag row(String group, int partition, long committed, long high, boolean members) {
        return row(group, "orders", partition, committed, high, members, false);
    }

    /** The row with a time lag read. */
    static PartitionLag timed(PartitionLag row, double lagSeconds) {
        return row.toBuilder().lagSeconds(lagSeconds).build();
    }

    static ClusterSnapshot snapshot(Granularity granularity, Instant time, List<PartitionLag> rows) {
        return ClusterSnapshot.builder(CLUSTER).granularity(granularity).time(time).rows(rows).build();
    }

    static ClusterSnapshot snapshot(Instant time, PartitionLag... rows) {
        return snapshot(Granularity.PARTITION, time, List.of(rows));
    }

    static Instant minute(int i) {
        return T0.plus(Duration.ofMinutes(i));
    }

    /** Folds one snapshot per minute from T0, each at its own time as "now". */
    static TrendState fold(Trends trends, List<ClusterSnapshot> snapshots) {
        TrendState state = TrendState.empty(CLUSTER, Granularity.PARTITION);
        for (ClusterSnapshot s : snapshots) {
            state = trends.fold(state, s, s.time());
        }
        return state;
    }
}
