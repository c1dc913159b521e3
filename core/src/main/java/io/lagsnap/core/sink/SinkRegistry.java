package io.lagsnap.core.sink;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sink providers on the class path, by type. Each deploy artifact bundles only the sinks it needs. */
public final class SinkRegistry {
    private final Map<String, SinkProvider> providers;

    private SinkRegistry(Map<String, SinkProvider> providers) {
        this.providers = providers;
    }

    /** The providers {@link ServiceLoader} finds; two of one type are an error naming both classes. */
    public static SinkRegistry load() {
        return of(ServiceLoader.load(SinkProvider.class, SinkRegistry.class.getClassLoader()));
    }

    /** A registry of exactly these providers (tests, embedders); two of one type are an error. */
    public static SinkRegistry of(Iterable<SinkProvider> found) {
        return new SinkRegistry(Providers.byKey(found, SinkProvider::type, "sink providers of type"));
    }

    /** Where the sink of {@code config} keeps objects the run's state may sit next to ({@link SinkProvider#stateLocation}). */
    public Optional<URI> stateLocation(SinkConfig config) {
        SinkProvider p = providers.get(config.type());
        return p == null ? Optional.empty() : p.stateLocation(config);
    }

    public Set<String> types() {
        return providers.keySet();
    }

    /**
     * Creates every configured sink, or fails before any is used with every problem of every bad table: those the
     * provider's getters recorded ({@link SinkConfig#check()}) and the one it stopped on, if any (the sinks already
     * created are closed).
     *
     * @param context the context of each sink (its meter is the sink's own)
     */
    public List<NamedSink> create(List<SinkConfig> configs, Function<SinkConfig, SinkContext> context) {
        List<NamedSink> out = new ArrayList<>();
        List<ConfigException.Problem> problems = new ArrayList<>();
        for (SinkConfig c : configs) {
            SinkProvider p = providers.get(c.type());
            if (p == null) {
                problems.add(new ConfigException.Problem(c.line("type"), c.at("type") + ": unknown sink type \""
                        + c.type() + "\" (known types: " + String.join(", ", providers.keySet()) + ")"));
                continue;
            }
            List<ConfigException.Problem> found = new ArrayList<>();
            Sink sink = null;
            try {
                sink = p.create(c, context.apply(c));
            } catch (ConfigException e) {
                found.addAll(e.problems());
            }
            try {
                c.check();
            } catch (ConfigException e) {
                found.addAll(e.problems());
            }
            NamedSink named = sink == null ? null : new NamedSink(c.name(), c.type(), sink);
            if (found.isEmpty()) {
                out.add(named);
            } else {
                if (named != null) {
                    named.closeQuietly();
                }
                // a provider's message names its key and line; sort it with its table when it carries no line
                found.forEach(pr -> problems.add(pr.line() > 0 ? pr
                        : new ConfigException.Problem(c.line(), pr.message())));
            }
        }
        if (!problems.isEmpty()) {
            out.forEach(NamedSink::closeQuietly);
            throw new ConfigException(problems);
        }
        return out;
    }

    /** A created sink with the name and type its outcome is reported under. */
    public record NamedSink(String name, String type, Sink sink) {
        private static final Logger LOG = LoggerFactory.getLogger(NamedSink.class);

        /** Closes the sink, logging (not throwing) a failure: closing must not hide the outcome being reported. */
        public void closeQuietly() {
            try {
                sink.close();
            } catch (Exception e) {
                LOG.warn("sink {} did not close cleanly: {}", name, e.toString());
            }
        }
    }
}
