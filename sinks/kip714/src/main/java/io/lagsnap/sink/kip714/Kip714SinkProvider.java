package io.lagsnap.sink.kip714;

import io.lagsnap.sink.api.KafkaCluster;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code type = "kip714"}: pushes each cluster's lag into that cluster's client telemetry (KIP-714). Keys:
 * {@code client_id} (default "lagsnap", what a client-metrics subscription matches), {@code per_partition}
 * (default false: group-level series only), {@code subscription_timeout} (default "5s": how long a broker may take
 * to hand out the telemetry subscription) and {@code clusters} (default: every cluster).
 */
public final class Kip714SinkProvider implements SinkProvider {
    private static final Set<String> KEYS = Set.of("client_id", "per_partition", "subscription_timeout", "clusters");

    @Override
    public String type() {
        return "kip714";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(KEYS);
        String clientId = config.string("client_id", "lagsnap");
        if (clientId.isBlank()) {
            config.problem("client_id", "must not be empty");
        }
        TelemetryPush push = new TelemetryPush(clientId, config.bool("per_partition", false),
                config.duration("subscription_timeout", Duration.ofSeconds(5)));
        return new Kip714Sink(clusters(config, context.clusters()), push);
    }

    private static List<KafkaCluster> clusters(SinkConfig config, List<KafkaCluster> all) {
        if (!config.has("clusters")) {
            return all;
        }
        Map<String, KafkaCluster> byName = all.stream()
                .collect(Collectors.toMap(KafkaCluster::name, Function.identity()));
        String known = all.stream().map(KafkaCluster::name).collect(Collectors.joining(", "));
        List<KafkaCluster> chosen = new ArrayList<>();
        for (String name : config.stringList("clusters")) {
            KafkaCluster cluster = byName.get(name);
            if (cluster == null) {
                config.problem("clusters", "no cluster named \"" + name + "\" (clusters: " + known + ")");
            } else {
                chosen.add(cluster);
            }
        }
        // a value that is not a list of strings is already recorded by stringList
        if (config.options().get("clusters") instanceof List<?> listed && listed.isEmpty()) {
            config.problem("clusters", "must name at least one cluster");
        }
        return chosen;
    }
}
