package io.lagsnap.sink.kip714;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.kafka.KafkaCollector;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListConfigResourcesOptions;
import org.apache.kafka.common.config.ConfigResource;

/** Builds configs, snapshots and client-metrics subscriptions for the sink's tests. */
final class TestRuns {
    private TestRuns() {
    }

    /** A config with one cluster "local" (label env=test) and one kip714 sink with the given extra lines. */
    static LagsnapConfig config(String bootstrap, String granularity, String sinkLines) {
        return config(granularity, Map.of("local", bootstrap), sinkLines);
    }

    /** As above, with one cluster per entry of {@code bootstrapByCluster}, in name order. */
    static LagsnapConfig config(String granularity, Map<String, String> bootstrapByCluster, String sinkLines) {
        StringBuilder toml = new StringBuilder("[exporter]\ngranularity = \"" + granularity + "\"\n");
        new TreeMap<>(bootstrapByCluster).forEach((name, bootstrap) -> toml.append("""

                [[clusters]]
                name = "%s"
                bootstrap_servers = "%s"
                labels = { env = "test" }
                """.formatted(name, bootstrap)));
        toml.append("\n[[sinks]]\ntype = \"kip714\"\n").append(sinkLines).append('\n');
        return new ConfigLoader(k -> null).parse(toml.toString(), "test.toml");
    }

    /** One real collection of the config's first cluster. */
    static ClusterSnapshot collect(LagsnapConfig config) {
        return new KafkaCollector(config.clusters().get(0), config.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
    }

    static Delivery deliver(LagsnapConfig config, ClusterSnapshot cluster, Duration budget) throws Exception {
        return deliver(config, List.of(cluster), budget);
    }

    static Delivery deliver(LagsnapConfig config, List<ClusterSnapshot> clusters, Duration budget) throws Exception {
        Sink sink = new Kip714SinkProvider().create(config.sinks().get(0),
                new SinkContext(config.clusters().stream().map(ClusterConfig::kafkaCluster).toList(), k -> null,
                        Shard.ALL));
        try (sink) {
            Snapshot snapshot = MetricFamilies.derive(new Snapshot("test-run", Instant.now(), Shard.ALL, clusters));
            return sink.deliver(snapshot, Deadline.after(budget));
        }
    }

    /** A cluster the collector could not reach: what the sink gets for it. */
    static ClusterSnapshot down(String name) {
        return ClusterSnapshot.builder(name).labels(Map.of("env", "test")).time(Instant.now()).up(false)
                .error("unreachable").build();
    }

    /** A local address where nothing listens. */
    static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** Creates or replaces a client-metrics subscription, as {@code kafka-client-metrics.sh --alter} does. */
    static void subscribe(Admin admin, String name, String metrics, int intervalMs, String match) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.CLIENT_METRICS, name);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                set("metrics", metrics), set("interval.ms", Integer.toString(intervalMs)), set("match", match))))
                .all().get();
    }

    /** Deletes every client-metrics subscription, so each test sees only its own. */
    static void unsubscribeAll(Admin admin) throws ExecutionException, InterruptedException {
        for (ConfigResource resource : admin.listConfigResources(Set.of(ConfigResource.Type.CLIENT_METRICS),
                new ListConfigResourcesOptions()).all().get()) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(delete("metrics"), delete("interval.ms"),
                    delete("match")))).all().get();
        }
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static AlterConfigOp delete(String key) {
        return new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE);
    }
}
