package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.model.Shard;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryLayoutTest {
    private static final Instant TIME = Instant.parse("2026-11-22T02:45:00.987Z");

    @Test
    void historyKeysAreHivePartitionedInUtcAndEndInTheSnapshotTimeAndRunId() {
        assertThat(HistoryLayout.historyKey("lagsnap/history", "prod", TIME, "0123456789ab"))
                .isEqualTo("lagsnap/history/cluster=prod/dt=2026-11-22/hour=02/lagsnap-20261122T024500Z-0123456789ab.ndjson.gz");
        assertThat(HistoryLayout.historyKey("", "prod", Instant.parse("2026-12-31T23:59:59Z"), "ff"))
                .isEqualTo("cluster=prod/dt=2026-12-31/hour=23/lagsnap-20261231T235959Z-ff.ndjson.gz");
    }

    @Test
    void clusterNamesArePercentEncodedExceptTheUnreservedCharacters() {
        assertThat(HistoryLayout.encodeClusterName("a-Z_0.9~")).isEqualTo("a-Z_0.9~");
        assertThat(HistoryLayout.encodeClusterName("prod eu/1")).isEqualTo("prod%20eu%2F1");
        assertThat(HistoryLayout.encodeClusterName("k=v*+%?#")).isEqualTo("k%3Dv%2A%2B%25%3F%23");
        assertThat(HistoryLayout.encodeClusterName("zürich")).isEqualTo("z%C3%BCrich");
        assertThat(HistoryLayout.historyKey("p", "..", TIME, "r")).startsWith("p/cluster=../dt=");
    }

    @Test
    void eachShardKeepsItsOwnLatestSummary() {
        assertThat(HistoryLayout.latestKey("lagsnap", "prod eu", Shard.ALL)).isEqualTo("lagsnap/cluster=prod%20eu/latest.json");
        assertThat(HistoryLayout.latestKey("", "prod", new Shard(2, 8))).isEqualTo("cluster=prod/latest-shard-2-of-8.json");
    }

    @Test
    void eachShardKeepsItsOwnStatusPage() {
        assertThat(HistoryLayout.pageKey("lagsnap", "prod eu", Shard.ALL)).isEqualTo("lagsnap/cluster=prod%20eu/index.html");
        assertThat(HistoryLayout.pageKey("", "prod", new Shard(2, 8))).isEqualTo("cluster=prod/index-shard-2-of-8.html");
    }
}
