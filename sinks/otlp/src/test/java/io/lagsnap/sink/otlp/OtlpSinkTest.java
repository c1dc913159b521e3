package io.lagsnap.sink.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real runs exporting over OTLP/HTTP and OTLP/gRPC to in-process receivers that decode the protocol's messages:
 * the snapshot first, then the run's own metrics in a second export.
 */
class OtlpSinkTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @BeforeAll
    static void workload() {
        KAFKA.broker().scenario().topic("oa-t", 1).produce("oa-t", 0, 10, i -> 1_000L + i)
                .commit("oa-g", "oa-t", 0, 4L);
    }

    /** One cluster on {@code bootstrap} keeping the "oa-" groups, and an otlp sink with the given keys. */
    static String config(String bootstrap, String otlpKeys) {
        return """
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^oa-"]
                labels = { env = "test" }
                [[sinks]]
                type = "otlp"
                %s
                """.formatted(bootstrap, otlpKeys);
    }

    /** A run whose environment (config substitution and the sinks' env lookups alike) is {@code env}. */
    static RunReport run(String toml, Map<String, String> env, Duration deadline) {
        return new Runner(SinkRegistry.load(), env::get).run(new ConfigLoader(env::get).parse(toml, "test.toml"),
                Deadline.after(deadline), Shard.ALL);
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new LinkedHashMap<>();
        kvs.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
        return out;
    }

    private static ScopeMetrics onlyScope(ExportMetricsServiceRequest request) {
        assertThat(request.getResourceMetricsList()).hasSize(1);
        ResourceMetrics rm = request.getResourceMetrics(0);
        assertThat(rm.getScopeMetricsList()).hasSize(1);
        return rm.getScopeMetrics(0);
    }

    private static Metric metric(ScopeMetrics scope, String name) {
        return scope.getMetricsList().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    /** The one time every point of the export carries (a gauge point is a reading at one instant: no start). */
    private static long sharedPointTime(ScopeMetrics scope) {
        List<NumberDataPoint> points = scope.getMetricsList().stream()
                .flatMap(m -> m.getGauge().getDataPointsList().stream()).toList();
        long nanos = points.get(0).getTimeUnixNano();
        assertThat(points).allSatisfy(p -> {
            assertThat(p.getTimeUnixNano()).isEqualTo(nanos);
            assertThat(p.getStartTimeUnixNano()).isZero();
        });
        return nanos;
    }

    /** What both protocols must carry: names, gauges, attributes, values, the snapshot time on every point. */
    private static void assertSnapshotContent(ExportMetricsServiceRequest request) {
        ScopeMetrics scope = onlyScope(request);
        assertThat(scope.getScope().getName()).isEqualTo("lagsnap");
        assertThat(scope.getMetricsList()).allSatisfy(m -> assertThat(m.hasGauge()).as(m.getName()).isTrue());
        assertThat(scope.getMetricsList()).extracting(Metric::getName).contains(
                "kafka_partition_latest_offset", "kafka_consumergroup_group_lag", "kafka_consumergroup_group_sum_lag",
                "kafka_lag_exporter_compaction_detected_total", "kafka_lag_exporter_up");

        Metric lag = metric(scope, "kafka_consumergroup_group_lag");
        assertThat(lag.getDescription()).isEqualTo("Offset lag (high_watermark - committed) for a consumer group "
                + "partition");
        NumberDataPoint point = lag.getGauge().getDataPoints(0);
        assertThat(lag.getGauge().getDataPointsList()).hasSize(1);
        assertThat(attributes(point.getAttributesList())).isEqualTo(Map.of(
                "cluster_name", "local", "group", "oa-g", "topic", "oa-t", "partition", "0", "member_host", "",
                "consumer_id", "", "client_id", "", "env", "test"));
        assertThat(point.getAsDouble()).isEqualTo(6.0);
        assertThat(metric(scope, "kafka_consumergroup_group_sum_lag").getGauge().getDataPoints(0).getAsDouble())
                .isEqualTo(6.0);
        assertThat(metric(scope, "kafka_partition_latest_offset").getGauge().getDataPointsList())
                .filteredOn(p -> attributes(p.getAttributesList()).get("topic").equals("oa-t"))
                .singleElement().satisfies(p -> assertThat(p.getAsDouble()).isEqualTo(10.0));

        // The snapshot time: every point carries the same one, which last_update reports (in ms resolution).
        long snapshotNanos = sharedPointTime(scope);
        double lastUpdate = metric(scope, "kafka_lag_exporter_last_update_timestamp_seconds").getGauge()
                .getDataPoints(0).getAsDouble();
        assertThat(snapshotNanos / 1_000_000).isEqualTo(Math.round(lastUpdate * 1000));
    }

    /**
     * The second export: exactly the run report's own metrics, as gauges of this run's resource, every point at the
     * one time the report was made; the otlp sink's meter counted the snapshot's export.
     */
    private static void assertRunMetrics(OtlpReceiver.Received received, RunReport report) {
        assertThat(attributes(received.request().getResourceMetrics(0).getResource().getAttributesList()))
                .containsEntry("service.name", "lagsnap").doesNotContainValue(report.runId());
        ScopeMetrics scope = onlyScope(received.request());
        assertThat(scope.getScope().getName()).isEqualTo("lagsnap");
        Map<String, Double> expected = new TreeMap<>();
        for (MetricFamily f : report.metrics()) {
            f.samples().forEach(s -> expected.put(f.name() + new TreeMap<>(s.labels().asMap()), s.value()));
        }
        Map<String, Double> exported = new TreeMap<>();
        for (Metric m : scope.getMetricsList()) {
            assertThat(m.hasGauge()).as(m.getName()).isTrue();
            m.getGauge().getDataPointsList().forEach(p -> exported.put(
                    m.getName() + new TreeMap<>(attributes(p.getAttributesList())), p.getAsDouble()));
        }
        assertThat(exported).isEqualTo(expected)
                .containsEntry("lagsnap_sink_delivered{sink=otlp, sink_type=otlp}", 1.0)
                .containsEntry("lagsnap_sink_requests_total{sink=otlp, sink_type=otlp}", 1.0)
                .containsEntry("lagsnap_sink_failed_requests_total{sink=otlp, sink_type=otlp}", 0.0)
                .containsEntry("lagsnap_run_exit_code{}", 0.0);
        long reportNanos = sharedPointTime(scope);
        assertThat(reportNanos / 1_000_000).isGreaterThanOrEqualTo(report.startedAt().toEpochMilli());
    }

    @Test
    void httpProtobufCarriesTheSnapshotGzippedWithHeadersAndTheLambdaResource() throws Exception {
        try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
            Map<String, String> env = Map.of("API_KEY", "k-123", "AWS_LAMBDA_FUNCTION_NAME", "lagsnap-fn",
                    "AWS_REGION", "eu-west-1");
            RunReport report = run(config(KAFKA.broker().bootstrapServers(), """
                    protocol = "http/protobuf"
                    endpoint = "%s"
                    headers = { x-api-key = "${API_KEY}" }
                    """.formatted(receiver.endpoint())), env, Duration.ofSeconds(30));

            assertThat(report.exitCode()).as(report.toJson()).isZero();
            assertThat(report.sinks().get(0).detail()).startsWith("exported ")
                    .endsWith(" over http/protobuf " + receiver.endpoint() + "/v1/metrics");
            assertThat(receiver.received()).hasSize(2).first().satisfies(r -> {
                assertThat(r.headers()).containsEntry("content-encoding", "gzip")
                        .containsEntry("content-type", "application/x-protobuf")
                        .containsEntry("x-api-key", "k-123");
                assertThat(attributes(r.request().getResourceMetrics(0).getResource().getAttributesList()))
                        .containsEntry("service.name", "lagsnap")
                        .containsEntry("service.instance.id", "lagsnap/lagsnap-fn/eu-west-1/shard-0-of-1")
                        .containsEntry("cloud.provider", "aws")
                        .containsEntry("cloud.region", "eu-west-1")
                        .containsEntry("faas.name", "lagsnap-fn")
                        .containsEntry("telemetry.sdk.language", "java");
                assertSnapshotContent(r.request());
            });
            assertRunMetrics(receiver.received().get(1), report);
            assertThat(receiver.received().get(1).headers()).containsEntry("content-encoding", "gzip")
                    .containsEntry("x-api-key", "k-123");
        }
    }

    @Test
    void grpcCarriesTheSameSnapshotGzippedWithHeadersAndTheCloudFunctionsResource() throws Exception {
        try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
            Map<String, String> env = Map.of("API_KEY", "k-456", "K_SERVICE", "lagsnap-gcf",
                    "FUNCTION_TARGET", "io.lagsnap.gcf.Function", "FUNCTION_REGION", "europe-west1");
            RunReport report = run(config(KAFKA.broker().bootstrapServers(), """
                    protocol = "grpc"
                    endpoint = "%s"
                    headers = { x-api-key = "${API_KEY}" }
                    """.formatted(receiver.endpoint())), env, Duration.ofSeconds(30));

            assertThat(report.exitCode()).as(report.toJson()).isZero();
            assertThat(receiver.received()).hasSize(2).first().satisfies(r -> {
                assertThat(r.headers()).containsEntry("grpc-encoding", "gzip").containsEntry("x-api-key", "k-456");
                assertThat(attributes(r.request().getResourceMetrics(0).getResource().getAttributesList()))
                        .containsEntry("service.name", "lagsnap")
                        .containsEntry("service.instance.id", "lagsnap/lagsnap-gcf/europe-west1/shard-0-of-1")
                        .containsEntry("cloud.provider", "gcp")
                        .containsEntry("cloud.region", "europe-west1")
                        .containsEntry("faas.name", "lagsnap-gcf");
                assertSnapshotContent(r.request());
            });
            assertRunMetrics(receiver.received().get(1), report);
        }
    }

    @Test
    void withoutCompressionAndOutsideAnyCloudTheBodyIsPlainAndTheResourceHasNoCloud() throws Exception {
        try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
            RunReport report = run(config(KAFKA.broker().bootstrapServers(), """
                    endpoint = "%s/v1/metrics"
                    compression = "none"
                    """.formatted(receiver.endpoint())), Map.of(), Duration.ofSeconds(30));

            assertThat(report.exitCode()).as(report.toJson()).isZero();
            assertThat(receiver.received()).hasSize(2).first().satisfies(r -> {
                assertThat(r.headers()).doesNotContainKey("content-encoding");
                assertThat(attributes(r.request().getResourceMetrics(0).getResource().getAttributesList()))
                        .doesNotContainKeys("cloud.provider", "cloud.region", "faas.name")
                        .containsEntry("service.instance.id", "lagsnap/local/shard-0-of-1");
                assertSnapshotContent(r.request());
            });
            assertRunMetrics(receiver.received().get(1), report);
        }
    }

    /**
     * The OTLP-to-Prometheus mapping turns service.name and service.instance.id into job and instance: a resource
     * that changed from run to run would start new series every run, and no alert's {@code for:} would elapse.
     */
    @Test
    void twoRunsExportIdenticalResourcesSoBackendsKeepOneSeriesSet() throws Exception {
        try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
            String toml = config(KAFKA.broker().bootstrapServers(), """
                    endpoint = "%s"
                    service_instance_id = "orders-monitor"
                    """.formatted(receiver.endpoint()));
            RunReport first = run(toml, Map.of(), Duration.ofSeconds(30));
            RunReport second = run(toml, Map.of(), Duration.ofSeconds(30));

            assertThat(first.runId()).isNotEqualTo(second.runId());
            List<Map<String, String>> resources = receiver.received().stream()
                    .map(r -> attributes(r.request().getResourceMetrics(0).getResource().getAttributesList()))
                    .toList();
            assertThat(resources).hasSize(4).allSatisfy(r -> assertThat(r).isEqualTo(resources.get(0)));
            assertThat(resources.get(0)).containsEntry("service.instance.id", "lagsnap/orders-monitor/shard-0-of-1")
                    .doesNotContainValue(first.runId());
        }
    }
}
