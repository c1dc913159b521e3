package io.lagsnap.core.selfmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.format.MetricJson;
import io.lagsnap.sink.api.metrics.MetricFamily;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The metrics core on its own: exact values under concurrency, naming rules, the visitor and the exporters. */
class SelfMetricsTest {
    private static final Map<String, String> SINK = Map.of("sink", "push");

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        SelfMetrics m = new SelfMetrics();
        Counter counter = m.counter("lagsnap_test_events_total", "events", Map.of());
        LatencyTracker latency = m.latency("lagsnap_test_call_duration_seconds", "lagsnap_test_calls_total", "calls",
                Map.of());
        int threads = 8;
        int perThread = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 1; i <= perThread; i++) {
                        counter.increment();
                        // thread t records (t * perThread + i) ms: every value 1 .. threads*perThread exactly once
                        latency.record(Duration.ofMillis((long) thread * perThread + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long n = (long) threads * perThread;
        assertThat(counter.value()).isEqualTo(n);
        assertThat(latency.count()).isEqualTo(n);
        assertThat(latency.sum()).isEqualTo(Duration.ofMillis(n * (n + 1) / 2));
        assertThat(latency.min()).isEqualTo(Duration.ofMillis(1));
        assertThat(latency.max()).isEqualTo(Duration.ofMillis(n));
    }

    @Test
    void theSameNameAndLabelsGiveTheSameSeries() {
        SelfMetrics m = new SelfMetrics();
        m.counter("lagsnap_test_retries_total", "retries", SINK).add(2);
        m.counter("lagsnap_test_retries_total", "retries", Map.of("sink", "push")).increment();
        m.counter("lagsnap_test_retries_total", "retries", Map.of("sink", "file")).increment();

        assertThat(m.families()).singleElement().satisfies(f -> assertThat(f.samples())
                .extracting(s -> s.labels().asMap(), MetricFamily.Sample::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Map.of("sink", "push"), 3.0),
                        org.assertj.core.groups.Tuple.tuple(Map.of("sink", "file"), 1.0)));
    }

    @Test
    void prometheusNamingIsEnforcedWithClearMessages() {
        SelfMetrics m = new SelfMetrics();
        assertThatThrownBy(() -> m.counter("lagsnap_test_retries", "h", Map.of()))
                .hasMessage("self-metric lagsnap_test_retries: a counter's name must end in _total");
        assertThatThrownBy(() -> m.gauge("lagsnap_test_up_total", "h", Map.of()))
                .hasMessage("self-metric lagsnap_test_up_total: a gauge's name must not end in _total");
        assertThatThrownBy(() -> m.latency("lagsnap_test_push_ms", "lagsnap_test_pushes_total", "h", Map.of()))
                .hasMessage("self-metric lagsnap_test_push_ms: a latency tracker's name must end in _seconds");
        assertThatThrownBy(() -> m.gauge("lagsnap-test", "h", Map.of()))
                .hasMessage("self-metric lagsnap-test: not a valid metric name");
        assertThatThrownBy(() -> m.gauge("lagsnap_test", "h", Map.of("sink-name", "x")))
                .hasMessage("self-metric lagsnap_test: \"sink-name\" is not a valid label name");
        m.gauge("lagsnap_test_seconds", "h", Map.of());
        // Prometheus text writes a counter without its _total in TYPE and HELP: it would clash with the gauge
        assertThatThrownBy(() -> m.counter("lagsnap_test_seconds_total", "h", Map.of()))
                .hasMessage("self-metric lagsnap_test_seconds_total: clashes with lagsnap_test_seconds in "
                        + "Prometheus text");
        assertThatThrownBy(() -> m.gauge("lagsnap_test_seconds", "other help", Map.of()))
                .hasMessageStartingWith("self-metric lagsnap_test_seconds: already defined as ");
    }

    @Test
    void aLatencyTrackerExportsCountTotalTimeMinAndMax() {
        SelfMetrics m = new SelfMetrics();
        LatencyTracker t = m.latency("lagsnap_test_push_duration_seconds", "lagsnap_test_pushes_total", "Pushes",
                SINK);
        t.record(Duration.ofMillis(250));
        t.record(Duration.ofMillis(1_500));
        t.record(Duration.ofMillis(-5));
        m.latency("lagsnap_test_push_duration_seconds", "lagsnap_test_pushes_total", "Pushes",
                Map.of("sink", "idle"));

        List<MetricFamily> families = m.families();

        assertThat(families).extracting(MetricFamily::name, MetricFamily::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("lagsnap_test_pushes_total", MetricFamily.Type.COUNTER),
                org.assertj.core.groups.Tuple.tuple("lagsnap_test_push_duration_seconds_total",
                        MetricFamily.Type.COUNTER),
                org.assertj.core.groups.Tuple.tuple("lagsnap_test_push_duration_seconds_min", MetricFamily.Type.GAUGE),
                org.assertj.core.groups.Tuple.tuple("lagsnap_test_push_duration_seconds_max", MetricFamily.Type.GAUGE));
        assertThat(values(families.get(0))).containsExactly(3.0, 0.0);
        assertThat(values(families.get(1))).containsExactly(1.75, 0.0);
        // nothing observed, no min or max: the idle sink has only its zero count and total
        assertThat(values(families.get(2))).containsExactly(0.0);
        assertThat(values(families.get(3))).containsExactly(1.5);
        assertThat(families.get(0).help()).isEqualTo("Pushes: how many");
    }

    @Test
    void theVisitorSeesEachSeriesOnceInFirstUseOrder() {
        SelfMetrics m = new SelfMetrics();
        m.gauge("lagsnap_test_b", "b", Map.of()).set(2.5);
        m.counter("lagsnap_test_a_total", "a", SINK).add(7);
        m.gauge("lagsnap_test_b", "b", Map.of()).set(4.0);
        m.latency("lagsnap_test_c_seconds", "lagsnap_test_c_total", "c", Map.of()).record(Duration.ofSeconds(2));
        List<String> seen = new ArrayList<>();
        m.visit(new MetricVisitor() {
            @Override
            public void counter(MetricId id, long value) {
                seen.add("counter " + id.name() + id.labels() + " " + value);
            }

            @Override
            public void gauge(MetricId id, double value) {
                seen.add("gauge " + id.name() + id.labels() + " " + value);
            }

            @Override
            public void latency(MetricId id, String countName, long count, Duration sum, Duration min,
                                Duration max) {
                seen.add("latency " + id.name() + "/" + countName + " " + count + " " + sum + " " + min + " " + max);
            }
        });
        assertThat(seen).containsExactly(
                "gauge lagsnap_test_b{} 4.0",
                "counter lagsnap_test_a_total{sink=push} 7",
                "latency lagsnap_test_c_seconds/lagsnap_test_c_total 1 PT2S PT2S PT2S");
    }

    @Test
    void theJsonMetricArrayHasNameTypeHelpLabelsAndValuePerSeries() throws Exception {
        SelfMetrics m = new SelfMetrics();
        m.counter("lagsnap_test_retries_total", "Retries \"quoted\"", Map.of("sink", "a<b")).add(2);
        m.gauge("lagsnap_test_up", "Up", Map.of()).set(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        MetricJson.write(m.families(), out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("["
                + "{\"name\":\"lagsnap_test_retries_total\",\"type\":\"counter\",\"help\":\"Retries \\\"quoted\\\"\","
                + "\"labels\":{\"sink\":\"a<b\"},\"value\":2.0},"
                + "{\"name\":\"lagsnap_test_up\",\"type\":\"gauge\",\"help\":\"Up\",\"labels\":{},\"value\":1.0}"
                + "]\n");
    }

    private static List<Double> values(MetricFamily f) {
        return f.samples().stream().map(MetricFamily.Sample::value).toList();
    }
}
