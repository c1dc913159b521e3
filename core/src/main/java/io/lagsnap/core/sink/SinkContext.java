package io.lagsnap.core.sink;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.model.Shard;
import io.lagsnap.core.selfmetrics.RunMetrics;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a provider may know besides its own table: the clusters (for sinks that deliver through Kafka itself), the
 * environment (tokens and API keys by variable name), the shard (for per-shard grouping keys) and the run's
 * self-metrics, where a sink records its requests and retries ({@code metrics.sink(config.name(), type())}).
 */
public record SinkContext(List<ClusterConfig> clusters, UnaryOperator<String> env, Shard shard, RunMetrics metrics) {
    /** A context outside a run (validation, tests): what sinks record in its metrics is never published. */
    public SinkContext(List<ClusterConfig> clusters, UnaryOperator<String> env, Shard shard) {
        this(clusters, env, shard, new RunMetrics());
    }
}
