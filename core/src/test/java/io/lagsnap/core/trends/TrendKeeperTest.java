package io.lagsnap.core.trends;

import static io.lagsnap.core.trends.Histories.minute;
import static io.lagsnap.core.trends.Histories.row;
import static io.lagsnap.core.trends.Histories.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A conditional put that succeeded but was answered as lost: an S3 client retries a PutObject whose response did not
 * arrive, and the retry's If-Match then names the version the first attempt replaced (412). No real store can be
 * made to lose one response on cue here, so an in-memory store stands in for it.
 */
class TrendKeeperTest {
    /** Stores one object; its first replace is written and then reported as lost. */
    private static final class FirstWriteAnsweredAsLost implements StateStore {
        private byte[] bytes;
        private int version;
        private int replaces;

        FirstWriteAnsweredAsLost(byte[] initial) {
            bytes = initial;
        }

        @Override
        public synchronized Optional<Stored> read(String cluster) {
            return Optional.ofNullable(bytes).map(b -> new Stored(b, String.valueOf(version)));
        }

        @Override
        public synchronized boolean replace(String cluster, byte[] next, String expectedVersion) {
            boolean current = expectedVersion == null ? bytes == null : expectedVersion.equals(String.valueOf(version));
            if (!current) {
                return false;
            }
            bytes = next;
            version++;
            return ++replaces > 1;
        }
    }

    @Test
    void aWriteAnsweredAsLostIsReadBackWithoutASecondPointAndTheResetStillCounts() throws Exception {
        FirstWriteAnsweredAsLost store = new FirstWriteAnsweredAsLost("not gzip".getBytes(StandardCharsets.UTF_8));
        Trends trends = new Trends(TrendBounds.DEFAULT);
        ClusterSnapshot s = snapshot(minute(1).plusNanos(456_789), row("g", 0, 10, 20, true));

        TrendKeeper.Kept kept = new TrendKeeper(store, trends).update(s, minute(1));

        assertThat(kept.saved()).isTrue();
        assertThat(kept.reset()).isEqualTo("corrupt");
        assertThat(store.replaces).isEqualTo(2);
        TrendState stored = ((TrendCodec.Loaded) TrendCodec.decode(store.bytes, Histories.CLUSTER)).state();
        assertThat(stored.series().get(SeriesKey.ofGroup("g")).points()).hasSize(1);
        assertThat(kept.results().groups().get(0).consumeRate()).isNull();
    }
}
