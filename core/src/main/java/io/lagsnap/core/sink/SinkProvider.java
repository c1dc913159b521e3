package io.lagsnap.core.sink;

import io.lagsnap.core.config.ConfigException;
import io.lagsnap.core.config.SinkConfig;

/**
 * Found through {@link java.util.ServiceLoader} by {@link #type()}. {@link #create} validates the sink's table and
 * builds the sink without connecting anywhere, so {@code lagsnap validate} can check every sink offline.
 */
public interface SinkProvider {
    /** The {@code type} value in a {@code [[sinks]]} table, e.g. "pushgateway". */
    String type();

    Sink create(SinkConfig config, SinkContext context) throws ConfigException;
}
