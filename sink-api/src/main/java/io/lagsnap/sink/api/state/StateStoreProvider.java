package io.lagsnap.sink.api.state;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import java.io.IOException;

/**
 * Found through {@link java.util.ServiceLoader} by {@link #scheme()}: one provider, one line in
 * {@code META-INF/services/io.lagsnap.sink.api.state.StateStoreProvider}. Core provides {@code file}, the
 * object-store sink {@code s3} and {@code gs}. Two providers of one scheme on one class path are an error.
 */
public interface StateStoreProvider {
    /** The URL scheme of the locations this provider opens, e.g. "s3". */
    String scheme();

    /**
     * Opens the store at {@code location}. No request is made yet; every later request is bounded by
     * {@code deadline}.
     *
     * @throws ConfigException when the location cannot be a store of this scheme (naming the key and value)
     * @throws IOException when the store's client cannot be set up
     */
    StateStore open(StateLocation location, Deadline deadline) throws IOException;
}
