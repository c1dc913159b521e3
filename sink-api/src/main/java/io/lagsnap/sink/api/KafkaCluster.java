package io.lagsnap.sink.api;

import java.util.Map;

/**
 * A configured cluster as a sink that delivers through Kafka itself sees it.
 *
 * @param clientProperties the Java client properties lagsnap connects with (security settings included)
 */
public record KafkaCluster(String name, String bootstrapServers, Map<String, String> clientProperties) {
    public KafkaCluster {
        clientProperties = Map.copyOf(clientProperties);
    }
}
