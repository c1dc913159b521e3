package io.lagsnap.core.sink;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.model.Shard;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a provider may know besides its own table: the clusters (for sinks that deliver through Kafka itself), the
 * environment (tokens and API keys by variable name) and the shard (for per-shard grouping keys).
 */
public record SinkContext(List<ClusterConfig> clusters, UnaryOperator<String> env, Shard shard) {
}
