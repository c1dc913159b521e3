package io.lagsnap.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.format.PrometheusText;
import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static MetricFamily.Sample sample(double value, String... namesAndValues) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new MetricFamily.Sample(Labels.of(labels), value);
    }

    /** Out of name order, a klag-style "_total" gauge, a counter, and label values that need escaping. */
    private static final List<MetricFamily> FAMILIES = List.of(
            new MetricFamily("kafka_consumergroup_group_lag", MetricFamily.Type.GAUGE, "Offset lag", List.of(
                    sample(5, "cluster_name", "c", "group", "quote\"back\\slash", "topic", "t"),
                    sample(0, "cluster_name", "c", "group", "new\nline", "topic", "t"),
                    sample(7, "cluster_name", "c", "group", "grüße", "topic", "t"))),
            new MetricFamily("kafka_lag_exporter_compaction_detected_total", MetricFamily.Type.GAUGE,
                    "Compacted partitions", List.of(sample(2, "cluster_name", "c"))),
            new MetricFamily("lagsnap_sink_deliveries", MetricFamily.Type.COUNTER, "Deliveries",
                    List.of(sample(1, "sink", "rows"), sample(3, "sink", "metrics"))),
            new MetricFamily("kafka_consumergroup_group_max_lag", MetricFamily.Type.GAUGE, "Max lag\nper group",
                    List.of(sample(5, "cluster_name", "c", "group", "g"))));

    private static String streamed(List<MetricFamily> families) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusText.write(families, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writingNameByNameGivesExactlyClientJavasTextForAllFamiliesAtOnce() throws Exception {
        List<MetricFamily> withTwoOfOneName = new java.util.ArrayList<>(FAMILIES);
        withTwoOfOneName.add(new MetricFamily("kafka_consumergroup_group_lag", MetricFamily.Type.GAUGE, "Again",
                List.of(sample(9, "cluster_name", "d", "group", "g", "topic", "t"))));
        ByteArrayOutputStream allAtOnce = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(allAtOnce, PrometheusText.snapshots(withTwoOfOneName));

        String streamed = streamed(withTwoOfOneName);

        assertThat(streamed).isEqualTo(allAtOnce.toString(StandardCharsets.UTF_8));
        assertThat(streamed).containsOnlyOnce("# TYPE kafka_consumergroup_group_lag gauge")
                .contains("kafka_consumergroup_group_lag{cluster_name=\"d\",group=\"g\",topic=\"t\"} 9.0");
    }

    /** The families of one row share its label set; each family still gets its own series and values. */
    @Test
    void oneLabelSetSharedByFamiliesOfDifferentNamesLabelsEachOfThem() throws Exception {
        String[] names = {"cluster_name", "group", "partition"};
        Labels row0 = Labels.of(names, new String[] {"c", "g", "0"});
        Labels row1 = Labels.of(names, new String[] {"c", "g", "1"});
        Labels row1Again = Labels.of(names, new String[] {"c", "g", "1"});
        List<MetricFamily> families = List.of(
                new MetricFamily("b_lag", MetricFamily.Type.GAUGE, "lag", List.of(
                        new MetricFamily.Sample(row0, 3), new MetricFamily.Sample(row1, 4))),
                new MetricFamily("a_offset", MetricFamily.Type.GAUGE, "offset", List.of(
                        new MetricFamily.Sample(row1Again, 20), new MetricFamily.Sample(row0, 10))));

        assertThat(streamed(families).lines().filter(l -> !l.startsWith("#"))).containsExactly(
                "a_offset{cluster_name=\"c\",group=\"g\",partition=\"0\"} 10.0",
                "a_offset{cluster_name=\"c\",group=\"g\",partition=\"1\"} 20.0",
                "b_lag{cluster_name=\"c\",group=\"g\",partition=\"0\"} 3.0",
                "b_lag{cluster_name=\"c\",group=\"g\",partition=\"1\"} 4.0");
    }

    @Test
    void familiesComeOutInNameOrderWithTheirKlagNamesAndEscapedValues() throws Exception {
        assertThat(streamed(FAMILIES).lines().filter(l -> !l.startsWith("# HELP"))).containsExactly(
                "# TYPE kafka_consumergroup_group_lag gauge",
                "kafka_consumergroup_group_lag{cluster_name=\"c\",group=\"grüße\",topic=\"t\"} 7.0",
                "kafka_consumergroup_group_lag{cluster_name=\"c\",group=\"new\\nline\",topic=\"t\"} 0.0",
                "kafka_consumergroup_group_lag{cluster_name=\"c\",group=\"quote\\\"back\\\\slash\",topic=\"t\"} 5.0",
                "# TYPE kafka_consumergroup_group_max_lag gauge",
                "kafka_consumergroup_group_max_lag{cluster_name=\"c\",group=\"g\"} 5.0",
                "# TYPE kafka_lag_exporter_compaction_detected_total counter",
                "kafka_lag_exporter_compaction_detected_total{cluster_name=\"c\"} 2.0",
                "# TYPE lagsnap_sink_deliveries_total counter",
                "lagsnap_sink_deliveries_total{sink=\"metrics\"} 3.0",
                "lagsnap_sink_deliveries_total{sink=\"rows\"} 1.0");
    }
}
