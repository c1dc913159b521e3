package io.lagsnap.core.state;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.config.RunConfig;
import io.lagsnap.core.sink.Providers;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.config.Urls;
import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import io.lagsnap.sink.api.state.StateStoreProvider;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The state store providers on the class path, by URL scheme, and where a config's run state lives:
 * <ol>
 *   <li>{@code [run] state = "none"}: nowhere, no trends;</li>
 *   <li>{@code [run] state = URL}: there, with the settings of the first {@code object_store} sink (in file order)
 *       in the same bucket, if any (its {@code endpoint}, {@code region}, {@code path_style});</li>
 *   <li>unset: next to the first sink (in file order) that keeps objects, i.e. the first {@code object_store}
 *       sink, with that sink's settings; without one, nowhere.</li>
 * </ol>
 */
public final class StateStores {
    private final Map<String, StateStoreProvider> providers;

    private StateStores(Map<String, StateStoreProvider> providers) {
        this.providers = providers;
    }

    /** The providers {@link ServiceLoader} finds; two of one scheme are an error naming both classes. */
    public static StateStores load() {
        return of(ServiceLoader.load(StateStoreProvider.class, StateStores.class.getClassLoader()));
    }

    static StateStores of(Iterable<StateStoreProvider> found) {
        return new StateStores(Providers.byKey(found, StateStoreProvider::scheme,
                "state store providers of scheme"));
    }

    /** Where the trend state of {@code config} lives, or empty when the run keeps none. */
    public static Optional<StateLocation> locate(LagsnapConfig config, SinkRegistry sinks, String objectName) {
        URI state = config.run().state();
        if (RunConfig.NO_STATE.equals(state)) {
            return Optional.empty();
        }
        for (SinkConfig sink : config.sinks()) {
            Optional<URI> beside = sinks.stateLocation(sink);
            if (beside.isEmpty()) {
                continue;
            }
            if (state == null) {
                return Optional.of(new StateLocation(beside.get(), objectName, sink, sink.at("url")));
            }
            if (sameBucket(state, beside.get())) {
                return Optional.of(new StateLocation(state, objectName, sink, "run.state"));
            }
        }
        return Optional.ofNullable(state).map(s -> new StateLocation(s, objectName, null, "run.state"));
    }

    private static boolean sameBucket(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && a.getAuthority() != null
                && Objects.equals(a.getAuthority(), b.getAuthority());
    }

    /**
     * Opens the store of the location's scheme.
     *
     * @throws ConfigException when no provider on the class path serves the scheme (naming the key and url)
     */
    public StateStore open(StateLocation location, Deadline deadline) throws IOException {
        return provider(location).open(location, deadline);
    }

    /** Checks that a provider serves the location, without opening it (for {@code lagsnap validate}). */
    public void check(StateLocation location) {
        provider(location);
    }

    private StateStoreProvider provider(StateLocation location) {
        StateStoreProvider p = providers.get(location.url().getScheme());
        if (p == null) {
            throw new ConfigException(location.at() + ": \"" + Urls.shown(location.url().toString())
                    + "\": this artifact has no state store for " + location.url().getScheme()
                    + ":// (state stores: " + String.join(", ", providers.keySet().stream()
                    .map(s -> s + "://").toList()) + ")");
        }
        return p;
    }
}
