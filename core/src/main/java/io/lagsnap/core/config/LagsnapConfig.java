package io.lagsnap.core.config;

import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import java.util.List;

/**
 * The whole configuration, loaded once per invocation by {@link ConfigLoader}. {@code source} names where it came
 * from (a file path, an environment variable, a URL) for error messages; {@code warnings} are the lines the loader
 * wants shown once (server-only keys of klag-exporter that a one-shot run ignores).
 */
public record LagsnapConfig(
        String source,
        ExporterConfig exporter,
        RunConfig run,
        List<ClusterConfig> clusters,
        List<SinkConfig> sinks,
        List<String> warnings) {

    public LagsnapConfig {
        clusters = List.copyOf(clusters);
        sinks = List.copyOf(sinks);
        warnings = List.copyOf(warnings);
    }

    /** A copy keeping only the named clusters (adapter overrides); unknown names are a config error. */
    public LagsnapConfig onlyClusters(java.util.Collection<String> names) {
        if (names == null || names.isEmpty()) {
            return this;
        }
        var known = clusters.stream().map(ClusterConfig::name).toList();
        for (String n : names) {
            if (!known.contains(n)) {
                throw new ConfigException(source + ": no cluster named '" + n + "' (known: " + known + ")");
            }
        }
        return new LagsnapConfig(source, exporter, run,
                clusters.stream().filter(c -> names.contains(c.name())).toList(), sinks, warnings);
    }

    public LagsnapConfig withSinks(List<SinkConfig> replacement) {
        return new LagsnapConfig(source, exporter, run, clusters, replacement, warnings);
    }
}
