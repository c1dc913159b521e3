package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkloadTest {
    @Test
    void spreadsGroupsOverTopicsOfAHundredGroupsEach() {
        assertThat(Workload.of(new SweepPoint(10, 10)).topics()).isEqualTo(1);
        assertThat(Workload.of(new SweepPoint(100, 50)).topics()).isEqualTo(1);
        assertThat(Workload.of(new SweepPoint(101, 50)).topics()).isEqualTo(2);
        assertThat(Workload.of(new SweepPoint(1000, 50)).topics()).isEqualTo(10);
        assertThat(Workload.of(new SweepPoint(1000, 50)).rows()).isEqualTo(50_000);
    }

    @Test
    void oneGroupInTenOfATopicIsCaughtUpAndTheOthersLagAtOffsetsThatDifferBetweenThem() {
        assertThat(Workload.committedOffset(0, 7)).isEqualTo(Workload.RECORDS_PER_PARTITION);
        assertThat(Workload.committedOffset(30, 0)).isEqualTo(Workload.RECORDS_PER_PARTITION);
        assertThat(Workload.committedOffset(1, 0)).isEqualTo(31);
        assertThat(Workload.committedOffset(1, 1)).isEqualTo(38);
        assertThat(Workload.committedOffset(7, 3)).isEqualTo((7 * 31 + 3 * 7) % 200);
        assertThat(java.util.stream.IntStream.range(0, 100).mapToLong(i -> Workload.committedOffset(i, 5))
                .filter(o -> o < Workload.RECORDS_PER_PARTITION).distinct().count()).isEqualTo(90);
        assertThat(Workload.group(42)).isEqualTo("bench-g00042");
        assertThat(Workload.topic(3)).isEqualTo("bench-t003");
    }
}
