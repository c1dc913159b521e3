package io.lagsnap.sink.api;

import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import java.net.URI;
import java.util.Optional;

/**
 * Found through {@link java.util.ServiceLoader} by {@link #type()}: a new sink is one {@link Sink}, one provider, one
 * line in {@code META-INF/services/io.lagsnap.sink.api.SinkProvider} and one dependency in the artifact that ships
 * it. Two providers of the same type on one class path are an error.
 */
public interface SinkProvider {
    /** The {@code type} value in a {@code [[sinks]]} table, e.g. "pushgateway". */
    String type();

    /**
     * Validates the sink's table and builds the sink without connecting anywhere, so {@code lagsnap validate} checks
     * every sink offline. Read keys only through {@code config}'s typed getters and call
     * {@link SinkConfig#requireOnlyKeys} so a misspelt key is an error. A getter records a bad value and returns its
     * fallback, and {@link SinkConfig#problem} records a check of the provider's own, so one run reports every bad
     * value of the table; the registry throws what was recorded ({@link SinkConfig#check()}) after this returns.
     *
     * @throws ConfigException naming the key and what is wrong, when the provider cannot go on (a required key)
     */
    Sink create(SinkConfig config, SinkContext context) throws ConfigException;

    /**
     * Where this sink keeps objects that the run's state may sit next to ({@code [run] state} unset): the
     * {@code object_store} sink returns its {@code url}, whose scheme a
     * {@link io.lagsnap.sink.api.state.StateStoreProvider} then opens with this sink table's settings. Empty (the
     * default) for a sink that keeps no objects. Called on a table {@link #create} accepted.
     */
    default Optional<URI> stateLocation(SinkConfig config) {
        return Optional.empty();
    }
}
