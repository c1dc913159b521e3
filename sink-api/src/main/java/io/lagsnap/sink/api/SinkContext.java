package io.lagsnap.sink.api;

import io.lagsnap.sink.api.model.Shard;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What a provider may know besides its own table.
 *
 * @param clusters the run's clusters, for sinks that deliver through Kafka itself
 * @param env the environment, by variable name (null when unset)
 * @param shard the shard this run covers, for per-shard grouping keys
 * @param meter where this sink records its requests and retries
 * @param secrets registers a value that must never appear in a log line, report or sink detail
 */
public record SinkContext(List<KafkaCluster> clusters, UnaryOperator<String> env, Shard shard, SinkMeter meter,
                          Consumer<String> secrets) {
    public SinkContext {
        clusters = List.copyOf(clusters);
    }

    /** A context outside a run (validation, tests): nothing is metered, secrets go nowhere. */
    public SinkContext(List<KafkaCluster> clusters, UnaryOperator<String> env, Shard shard) {
        this(clusters, env, shard, SinkMeter.NONE, s -> { });
    }

    /**
     * The value of an environment variable that holds a secret (a token, a password), registered with the run's
     * scrubber before it is returned so that a server echoing it back cannot put it in a log or report.
     *
     * @return the value, or null when the variable is unset
     */
    public String secretEnv(String variable) {
        String value = env.apply(variable);
        if (value != null && !value.isEmpty()) {
            secrets.accept(value);
        }
        return value;
    }
}
