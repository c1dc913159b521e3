package io.lagsnap.sink.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.KafkaCluster;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpMetricsTest {
    private static ClusterSnapshot down(String name, Instant time) {
        return ClusterSnapshot.builder(name).labels(Map.of("env", "prod")).time(time).up(false).error("unreachable")
                .duration(Duration.ofMillis(1500)).build();
    }

    @Test
    void familiesOfSeveralClustersAreOneGaugeEachWithEveryClustersOwnTime() {
        Instant a = Instant.parse("2026-01-02T03:04:05.123456789Z");
        Instant b = Instant.parse("2026-01-02T03:04:06Z");
        Resource resource = Resource.empty();

        Snapshot snapshot = MetricFamilies.derive(new Snapshot("r1", a, Shard.ALL, List.of(down("a", a), down("b", b))));
        List<MetricData> metrics = OtlpMetrics.of(snapshot, resource);

        assertThat(metrics).extracting(MetricData::getName).containsExactly("kafka_consumergroup_poll_time_ms",
                "kafka_lag_exporter_compaction_detected_total", "kafka_lag_exporter_data_loss_partitions_total",
                "kafka_lag_exporter_scrape_duration_seconds", "kafka_lag_exporter_up");
        MetricData up = metrics.get(4);
        assertThat(up.getResource()).isSameAs(resource);
        assertThat(up.getInstrumentationScopeInfo().getName()).isEqualTo("lagsnap");
        assertThat(up.getDescription()).isEqualTo("1 if the cluster was collected, 0 otherwise");
        assertThat(up.getDoubleGaugeData().getPoints()).extracting(
                p -> p.getAttributes().get(AttributeKey.stringKey("cluster_name")),
                p -> p.getAttributes().get(AttributeKey.stringKey("env")),
                DoublePointData::getEpochNanos, DoublePointData::getValue)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("a", "prod", 1_767_323_045_123_456_789L, 0.0),
                        org.assertj.core.groups.Tuple.tuple("b", "prod", 1_767_323_046_000_000_000L, 0.0));
        assertThat(metrics.get(3).getDoubleGaugeData().getPoints()).extracting(DoublePointData::getValue)
                .containsExactly(1.5, 1.5);
    }

    @Test
    void theResourceNamesTheServiceAStableInstanceAndTheFunctionItRunsIn() {
        List<KafkaCluster> clusters = List.of(new KafkaCluster("prod", "b:9092", Map.of()),
                new KafkaCluster("audit", "c:9092", Map.of()));
        Resource gcf = new ServiceResource(Map.of("FUNCTION_TARGET", "io.lagsnap.gcf.Function",
                "GOOGLE_CLOUD_REGION", "us-central1", "FUNCTION_REGION", "ignored")::get, clusters, new Shard(2, 4),
                null).resource();
        assertThat(gcf.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("lagsnap");
        assertThat(gcf.getAttribute(AttributeKey.stringKey("service.instance.id")))
                .isEqualTo("lagsnap/io.lagsnap.gcf.Function/us-central1/shard-2-of-4");
        assertThat(gcf.getAttribute(AttributeKey.stringKey("cloud.provider"))).isEqualTo("gcp");
        assertThat(gcf.getAttribute(AttributeKey.stringKey("cloud.region"))).isEqualTo("us-central1");
        assertThat(gcf.getAttribute(AttributeKey.stringKey("faas.name"))).isEqualTo("io.lagsnap.gcf.Function");

        Resource lambdaWithoutRegion = new ServiceResource(Map.of("AWS_LAMBDA_FUNCTION_NAME", "fn")::get, clusters,
                Shard.ALL, null).resource();
        assertThat(lambdaWithoutRegion.getAttribute(AttributeKey.stringKey("cloud.provider"))).isEqualTo("aws");
        assertThat(lambdaWithoutRegion.getAttribute(AttributeKey.stringKey("cloud.region"))).isNull();
        assertThat(lambdaWithoutRegion.getAttribute(AttributeKey.stringKey("service.instance.id")))
                .isEqualTo("lagsnap/fn/shard-0-of-1");

        Resource cronJob = new ServiceResource(Map.<String, String>of()::get, clusters, Shard.ALL, null).resource();
        assertThat(cronJob.getAttribute(AttributeKey.stringKey("service.instance.id")))
                .isEqualTo("lagsnap/audit+prod/shard-0-of-1");
        Resource named = new ServiceResource(Map.of("AWS_LAMBDA_FUNCTION_NAME", "fn")::get, clusters, Shard.ALL,
                "orders").resource();
        assertThat(named.getAttribute(AttributeKey.stringKey("service.instance.id")))
                .isEqualTo("lagsnap/orders/shard-0-of-1");
    }
}
