package io.lagsnap.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The sampler's compact bookkeeping: wanted offsets as sorted arrays, samples parallel to them. */
class SamplesTest {
    private static final TopicPartition TP = new TopicPartition("orders", 3);

    @Test
    void wantedOffsetsComeOutDistinctAndAscending() {
        WantedOffsets wanted = new WantedOffsets();
        for (long o : new long[] {40, 7, 40, 0, 9, 7, 7, 100, 0}) {
            wanted.add(o);
        }

        assertThat(wanted.sortedDistinct()).containsExactly(0, 7, 9, 40, 100);
        assertThat(new WantedOffsets().sortedDistinct()).isEmpty();
    }

    @Test
    void aSampleIsFoundOnlyAtAWantedOffsetThatWasResolved() {
        long[] wanted = {5, 9, 12};
        Samples samples = new Samples();
        samples.put(TP, wanted, 0, 6, 1_700L);
        samples.put(TP, wanted, 2, 20, null); // nothing before the high watermark 20

        assertThat(samples.get(TP, 5)).isEqualTo(new TimestampSampler.Sample(6, 1_700L));
        assertThat(samples.get(TP, 12)).isEqualTo(new TimestampSampler.Sample(20, null));
        assertThat(samples.get(TP, 9)).isNull(); // wanted, not found
        assertThat(samples.get(TP, 6)).isNull(); // never wanted
        assertThat(samples.get(new TopicPartition("orders", 4), 5)).isNull();
        assertThat(samples.has(TP, 0)).isTrue();
        assertThat(samples.has(TP, 1)).isFalse();
        assertThat(samples.size()).isEqualTo(2);
    }

    @Test
    void aPositionResolvedTwiceCountsOnceAndKeepsTheLatest() {
        long[] wanted = {5};
        Samples samples = new Samples();
        samples.put(TP, wanted, 0, 5, 10L);
        samples.put(TP, wanted, 0, 5, 0L);

        assertThat(samples.size()).isEqualTo(1);
        assertThat(samples.get(TP, 5)).isEqualTo(new TimestampSampler.Sample(5, 0L));
    }

    @Test
    void timestampsAreCountedOnlyWhereARecordWasRead() {
        long[] wanted = {1, 2, 3, 4};
        Samples samples = new Samples();
        samples.put(TP, wanted, 0, 1, 100L);
        samples.put(TP, wanted, 1, 2, 5_000L);
        samples.put(TP, wanted, 2, 9, null);

        assertThat(samples.countTimestamps(ms -> ms > 1_000)).isEqualTo(1);
        assertThat(samples.countTimestamps(ms -> true)).isEqualTo(2);
    }
}
