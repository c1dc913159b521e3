package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SweepPointTest {
    @Test
    void parsesAListAndLabelsItForTables() {
        assertThat(SweepPoint.parseList("10x10, 1000X50"))
                .containsExactly(new SweepPoint(10, 10), new SweepPoint(1000, 50));
        assertThat(new SweepPoint(1000, 50).label()).isEqualTo("1,000 × 50");
        assertThat(new SweepPoint(1000, 50).groupPartitions()).isEqualTo(50_000);
        assertThat(SweepPoint.DEFAULT).containsExactly(new SweepPoint(10, 10), new SweepPoint(100, 50),
                new SweepPoint(1000, 50));
    }

    @Test
    void rejectsAnythingButGroupsXPartitionsWithTheExpectedForm() {
        assertThatThrownBy(() -> SweepPoint.parse("1000"))
                .hasMessage("sweep point \"1000\" is not GROUPSxPARTITIONS, e.g. 1000x50");
        assertThatThrownBy(() -> SweepPoint.parse("ax5"))
                .hasMessage("sweep point \"ax5\" is not GROUPSxPARTITIONS, e.g. 1000x50");
        assertThatThrownBy(() -> SweepPoint.parse("0x5"))
                .hasMessage("groups and partitions must be at least 1, got 0x5");
    }
}
