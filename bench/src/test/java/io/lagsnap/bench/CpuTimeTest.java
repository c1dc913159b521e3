package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuTimeTest {
    @Test
    void childrenTimesAreFields16And17AfterACommandWithSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 500 0 0 0 70 30 1234 66 20 0 25 0 100 0 0";

        assertThat(CpuTime.childrenMs(stat)).isEqualTo((1234 + 66) * 10L);
    }
}
