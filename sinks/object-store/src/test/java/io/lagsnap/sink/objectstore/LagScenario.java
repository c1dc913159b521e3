package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.kafka.KafkaCollector;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.testkit.KafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * One known lag scenario on a real broker, and snapshots of it taken by the real collector:
 * <ul>
 *   <li>"billing" (Empty) at 4 of 10 on orders-0 (lag 6) and caught up on orders-1;
 *   <li>"audit" (Empty) caught up on orders-0 and at 1 on orders-1, whose records before 3 were deleted (data loss);
 *   <li>"live" (Stable, one live member) at 8 on orders-0 (lag 2).
 * </ul>
 */
final class LagScenario {
    static final String TOPIC = "orders";
    /** Record i of a partition has CreateTime T0 + i minutes. */
    static final Instant T0 = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    private LagScenario() {
    }

    static void create(KafkaBroker broker) {
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        broker.scenario()
                .topic(TOPIC, 2)
                .produce(TOPIC, 0, 10, i -> T0.toEpochMilli() + i * 60_000)
                .produce(TOPIC, 1, 5, i -> T0.toEpochMilli() + i * 60_000)
                .commit("billing", Map.of(p0, 4L, p1, 5L))
                .commit("audit", Map.of(p0, 10L, p1, 1L))
                .deleteRecords(TOPIC, 1, 3)
                .commit("live", TOPIC, 0, 8)
                .activeMember("live", TOPIC);
    }

    /** A config with one cluster on the broker and the given {@code [[sinks]]} tables, loaded as a user's would be. */
    static LagsnapConfig config(KafkaBroker broker, String clusterName, String sinksToml) {
        String toml = """
                [[clusters]]
                name = "%s"
                bootstrap_servers = "%s"

                %s
                """.formatted(clusterName, broker.bootstrapServers(), sinksToml);
        return new ConfigLoader(name -> null).parse(toml, "test.toml");
    }

    /** A snapshot of the scenario by the real collector, checked against the scenario's known lags. */
    static Snapshot snapshot(KafkaBroker broker, String clusterName, String runId) {
        LagsnapConfig config = config(broker, clusterName, "");
        ClusterSnapshot cluster = new KafkaCollector(config.clusters().get(0), config.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
        assertThat(cluster.up()).as("cluster up: %s", cluster.error()).isTrue();
        assertThat(cluster.rows()).extracting(r -> r.group() + "/" + r.partition() + " lag " + r.lag())
                .containsExactly("audit/0 lag 0", "audit/1 lag 4", "billing/0 lag 6", "billing/1 lag 0", "live/0 lag 2");
        PartitionLag lost = cluster.rows().get(1);
        assertThat(lost.dataLossDetected()).isTrue();
        assertThat(lost.messagesLost()).isEqualTo(2);
        return new Snapshot(runId, Instant.now(), Shard.ALL, List.of(cluster));
    }
}
