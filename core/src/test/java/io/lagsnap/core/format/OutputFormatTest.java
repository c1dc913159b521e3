package io.lagsnap.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.format.MetricJson;
import io.lagsnap.core.math.LagMath;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.format.PrometheusText;
import io.lagsnap.sink.api.metrics.Labels;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.Isolation;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.sink.api.model.Watermarks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending the run's own metrics to a written snapshot gives what encoding everything at once would give. */
class OutputFormatTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;

    private final Snapshot snapshot = snapshot();
    private final List<MetricFamily> runMetrics = List.of(
            new MetricFamily("lagsnap_run_duration_seconds", MetricFamily.Type.GAUGE, "run time",
                    List.of(new MetricFamily.Sample(Labels.of(Map.of()), 1.25))),
            new MetricFamily("lagsnap_sink_delivered", MetricFamily.Type.GAUGE, "delivered",
                    List.of(new MetricFamily.Sample(Labels.of(Map.of("sink", "a", "sink_type", "file")), 1.0),
                            new MetricFamily.Sample(Labels.of(Map.of("sink", "b", "sink_type", "otlp")), 0.0))));

    @Test
    void metricsJsonAppendIsByteForByteTheArrayOfAllFamilies() throws Exception {
        Path written = written(OutputFormat.METRICS_JSON);
        List<MetricFamily> all = new ArrayList<>(snapshot.families());
        all.addAll(runMetrics);

        assertThat(append(OutputFormat.METRICS_JSON, written, runMetrics)).isEqualTo(encode(all, true));
        assertThat(append(OutputFormat.METRICS_JSON, written, List.of())).isEqualTo(Files.readString(written));
    }

    @Test
    void metricsJsonAppendToAnEmptyArray() throws Exception {
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "[]\n");
        assertThat(append(OutputFormat.METRICS_JSON, empty, runMetrics)).isEqualTo(encode(runMetrics, true));
    }

    @Test
    void prometheusAppendIsTheSnapshotsTextThenTheRunsFamilies() throws Exception {
        Path written = written(OutputFormat.PROMETHEUS);
        List<MetricFamily> all = new ArrayList<>(snapshot.families());
        all.addAll(runMetrics);

        String appended = append(OutputFormat.PROMETHEUS, written, runMetrics);
        assertThat(appended).isEqualTo(Files.readString(written) + encode(runMetrics, false));
        // the same exposition as encoding everything at once, only in another family order
        assertThat(appended.lines().sorted()).containsExactlyElementsOf(encode(all, false).lines().sorted().toList());
    }

    @Test
    void formatsWithoutMetricsHaveNothingToAppendTo() {
        assertThatThrownBy(() -> append(OutputFormat.JSON, dir.resolve("x"), runMetrics))
                .isInstanceOf(IllegalStateException.class).hasMessage("json carries no run metrics");
    }

    private Path written(OutputFormat format) throws Exception {
        Path p = dir.resolve("snapshot." + format.configName());
        try (var out = Files.newOutputStream(p)) {
            format.write(snapshot, out);
        }
        return p;
    }

    private static String append(OutputFormat format, Path written, List<MetricFamily> more) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.appendRunMetrics(written, more, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(List<MetricFamily> families, boolean json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (json) {
            MetricJson.write(families, out);
        } else {
            PrometheusText.write(families, out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Snapshot snapshot() {
        LagMath.GroupContext billing = new LagMath.GroupContext("billing", GroupType.CLASSIC, GroupState.EMPTY,
                Isolation.READ_UNCOMMITTED);
        Watermarks w = new Watermarks(0, 100, 100);
        List<PartitionLag> rows = List.of(
                LagMath.row(billing, new LagMath.Position("orders", 0, 40L, null, w, Member.NONE, false),
                        new LagMath.Sample(40L, NOW.toEpochMilli() - 30_000), NOW),
                LagMath.row(billing, new LagMath.Position("orders", 1, 100L, null, w, Member.NONE, false),
                        LagMath.Sample.NONE, NOW));
        Map<String, LagMath.GroupContext> states = Map.of("billing", billing);
        ClusterSnapshot cluster = ClusterSnapshot.builder("prod").granularity(Granularity.PARTITION).time(NOW)
                .rows(rows).groups(LagMath.groupAggregates(rows, states))
                .groupTopics(LagMath.groupTopicAggregates(rows)).phaseDurations(Map.of(Phase.LIST, Duration.ofMillis(12)))
                .duration(Duration.ofMillis(40)).adminRequests(7).build();
        return MetricFamilies.derive(new Snapshot("a1b2c3d4e5f6", NOW, Shard.ALL, List.of(cluster)));
    }
}
