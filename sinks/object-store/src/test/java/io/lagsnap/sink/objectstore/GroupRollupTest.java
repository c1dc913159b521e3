package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Watermarks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-group rollup sums lag and takes the largest time lag the way SQL's sum() and max() skip nulls. */
class GroupRollupTest {
    private static PartitionLag row(String group, int partition, Long lag, Double lagSeconds) {
        return PartitionLag.builder(group, "orders", partition).groupState(GroupState.EMPTY).committedOffset(lag == null
                ? null : 10L).watermarks(new Watermarks(0, 10 + (lag == null ? 0 : lag), 10 + (lag == null ? 0 : lag)))
                .lag(lag).lagSeconds(lagSeconds).build();
    }

    @Test
    void sumsLagAndKeepsTheLargestTimeLagPerGroupInFirstSeenOrderWithNullsWhereNoRowHadOne() throws Exception {
        ClusterSnapshot cluster = ClusterSnapshot.builder("prod").granularity(Granularity.PARTITION)
                .time(Instant.parse("2026-11-17T22:29:00Z")).rows(List.of(
                        row("billing", 0, 30L, 1.5), row("audit", 0, null, null), row("billing", 1, null, 4.25),
                        row("billing", 2, 12L, null), row("audit", 1, null, null), row("live", 0, 0L, 0.0)))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        GroupRollup.write(cluster, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                {"snapshot_time":"2026-11-17T22:29:00Z","group":"billing","lag":42,"max_lag_seconds":4.25,"rows":3}
                {"snapshot_time":"2026-11-17T22:29:00Z","group":"audit","lag":null,"max_lag_seconds":null,"rows":2}
                {"snapshot_time":"2026-11-17T22:29:00Z","group":"live","lag":0,"max_lag_seconds":0.0,"rows":1}
                """);
    }
}
