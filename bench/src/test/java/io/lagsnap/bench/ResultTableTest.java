package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static final Machine MACHINE = new Machine("Test CPU", 2, 24_105, "Vendor 17.0.15", "Linux 6.1",
            "0.50 0.40 0.30", "1.00 0.90 0.80");

    static BenchResult sample() {
        Map<Subject, Measurement> measured = Map.of(
                Subject.LAGSNAP_CYCLE, Measurement.of(Subject.LAGSNAP_CYCLE, List.of(300L, 200L, 250L),
                        Map.of("ListGroups", 1L, "OffsetFetch", 1L, "FetchConsumer", 3L), 50_000, null, null),
                Subject.KAFKA_DESCRIBE, Measurement.of(Subject.KAFKA_DESCRIBE, List.of(2_500L, 2_600L, 2_400L),
                        Map.of("ListGroups", 1L, "OffsetFetch", 1_000L, "ListOffsets", 1_000L), 50_000, null, null),
                Subject.LAGSNAP_CLI_TUNED, Measurement.of(Subject.LAGSNAP_CLI_TUNED, List.of(1_200L),
                        Map.of("OffsetFetch", 1L), 50_000, 150_000L, 300_000L),
                Subject.KAFKA_DESCRIBE_CLI, Measurement.of(Subject.KAFKA_DESCRIBE_CLI, List.of(12_000L),
                        Map.of("OffsetFetch", 1_000L), 50_000, null, 280_000L));
        return new BenchResult("2026-11-22T03:00:00Z", MACHINE, 3,
                List.of(new PointResult(new SweepPoint(1000, 50), 10, 50_000, measured)));
    }

    @Test
    void tablesShowMediansRatiosRequestsAndMemoryWithDashesForWhatWasNotMeasured() {
        String table = ResultTable.markdown(sample());

        assertThat(table).startsWith("Machine: 2 CPUs (Test CPU), 23.5 GiB RAM, Vendor 17.0.15, Linux 6.1. "
                + "Load average (1/5/15 min) 0.50 0.40 0.30 at start, 1.00 0.90 0.80 at end. 2026-11-22T03:00:00Z.\n");
        assertThat(table).contains(
                "| groups × partitions | lagsnap cycle | lagsnap cycle, no time lag | lagsnap cycle, partition series "
                        + "| kafka describe | speed-up |\n"
                        + "|---|--:|--:|--:|--:|--:|\n"
                        + "| 1,000 × 50 | 250 ms | – | – | 2,500 ms | **10.0×** |\n",
                "| 1,000 × 50 | – | 1,200 ms | – | 12,000 ms | **10.0×** |\n",
                "| groups × partitions | run | ListGroups | OffsetFetch | ListOffsets | FetchConsumer | total |\n"
                        + "|---|---|--:|--:|--:|--:|--:|\n"
                        + "| 1,000 × 50 | lagsnap cycle | 1 | 1 | 0 | 3 | 5 |\n"
                        + "| 1,000 × 50 | kafka describe | 1 | 1,000 | 1,000 | 0 | 2,001 |\n",
                "| 1,000 × 50 | – | 146 MB / 293 MB | – | 273 MB |\n");
    }

    @Test
    void theResultFileReadsBackEqual() throws Exception {
        BenchResult result = sample();

        String json = BenchJson.write(result);

        assertThat(json).contains("\"median_ms\" : 2500", "\"peak_rss_kb\" : 300000", "\"load_at_start\"",
                "\"KAFKA_DESCRIBE\" : \"in-process ConsumerGroupCommand.main");
        assertThat(BenchJson.read(json)).isEqualTo(result);
    }

    @Test
    void medianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
        assertThat(Measurement.median(List.of(40L, 10L, 30L, 20L))).isEqualTo(25);
        assertThat(Measurement.median(List.of(7L))).isEqualTo(7);
    }
}
