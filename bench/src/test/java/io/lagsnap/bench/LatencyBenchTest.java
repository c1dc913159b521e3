package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.bench.LatencyBench.Cli;
import org.junit.jupiter.api.Test;

class LatencyBenchTest {
    @Test
    void eachSubjectRunsFirstInTurn() {
        assertThat(LatencyBench.inTurn(1)).containsExactly(Cli.LAGSNAP_PLAIN, Cli.LAGSNAP_RECOMMENDED, Cli.KAFKA);
        assertThat(LatencyBench.inTurn(2)).containsExactly(Cli.LAGSNAP_RECOMMENDED, Cli.KAFKA, Cli.LAGSNAP_PLAIN);
        assertThat(LatencyBench.inTurn(3)).containsExactly(Cli.KAFKA, Cli.LAGSNAP_PLAIN, Cli.LAGSNAP_RECOMMENDED);
        assertThat(LatencyBench.inTurn(4)).isEqualTo(LatencyBench.inTurn(1));
    }
}
