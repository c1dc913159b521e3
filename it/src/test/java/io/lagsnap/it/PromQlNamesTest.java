package io.lagsnap.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The name extraction the monitoring checks rely on, on the PromQL shapes the dashboard and rules use. */
class PromQlNamesTest {
    @Test
    void keepsMetricNamesAndDropsFunctionsLabelsStringsRangesAndKeywords() {
        assertThat(PromQlNames.of("sum by (cluster_name, kind) (rate(foo_total{job=~\"$job\", a=\"b{c}\"}[5m]))"
                + " / on(cluster_name) group_left bar_seconds offset 5m > bool 1e3 and baz"))
                .containsExactly("bar_seconds", "baz", "foo_total");
        assertThat(PromQlNames.of("time() - max by (sink) (max_over_time(last_success{job=~\"$job\"}[$__range]))"))
                .containsExactly("last_success");
        assertThat(PromQlNames.of("count(up == 0) or vector(0)")).containsExactly("up");
        assertThat(PromQlNames.of("push_failure_time_seconds{job=\"x\"} > push_time_seconds{job=\"x\"}"))
                .containsExactly("push_failure_time_seconds", "push_time_seconds");
    }

    @Test
    void readsTheSelectorOfGrafanaLabelValues() {
        assertThat(PromQlNames.ofVariableQuery("label_values(kafka_lag_exporter_up{job=~\"$job\"}, cluster_name)"))
                .containsExactly("kafka_lag_exporter_up");
        assertThat(PromQlNames.ofVariableQuery("label_values(cluster_name)")).isEmpty();
    }
}
