package io.lagsnap.sink.api.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.SeriesTrend;
import io.lagsnap.sink.api.model.Watermarks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowJsonTest {
    @Test
    void atTopicGranularityOnlyRowsWithAPositionCarryTheirTopicsTrend() throws IOException {
        PartitionLag committed = PartitionLag.builder("g", "t", 0).groupState(GroupState.STABLE)
                .committedOffset(10L).watermarks(new Watermarks(0, 20, 20)).lag(10L).build();
        PartitionLag neverCommitted = PartitionLag.builder("g", "t", 1).groupState(GroupState.STABLE)
                .watermarks(new Watermarks(0, 20, 20)).build();
        SeriesTrend topic = SeriesTrend.builder("g").topic("t").status("STALL", 3).build();
        ClusterSnapshot snapshot = ClusterSnapshot.builder("prod").granularity(Granularity.TOPIC)
                .time(Instant.parse("2026-12-05T12:00:00Z")).rows(List.of(committed, neverCommitted))
                .trends(List.of(SeriesTrend.builder("g").status("STALL", 3).build(), topic)).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        RowJson.write(snapshot, out);

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"partition\":0,").contains("\"status\":\"STALL\"");
        // no position on partition 1: nothing of it is in the topic's sums, so no trend (docs/metrics.md)
        assertThat(lines.get(1)).contains("\"partition\":1,").contains("\"status\":null");
    }
}
