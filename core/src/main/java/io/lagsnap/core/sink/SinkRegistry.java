package io.lagsnap.core.sink;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

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

    static SinkRegistry of(Iterable<SinkProvider> found) {
        Map<String, SinkProvider> byType = new TreeMap<>();
        for (SinkProvider p : found) {
            SinkProvider other = byType.putIfAbsent(p.type(), p);
            if (other != null) {
                throw new IllegalStateException("two sink providers of type \"" + p.type() + "\" on the class path: "
                        + other.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return new SinkRegistry(byType);
    }

    public Set<String> types() {
        return providers.keySet();
    }

    /**
     * Creates every configured sink, or fails on the first bad table before any is used.
     *
     * @param context the context of each sink (its meter is the sink's own)
     */
    public List<NamedSink> create(List<SinkConfig> configs, Function<SinkConfig, SinkContext> context) {
        List<NamedSink> out = new ArrayList<>();
        for (SinkConfig c : configs) {
            SinkProvider p = providers.get(c.type());
            if (p == null) {
                throw new ConfigException(c.at("type") + ": unknown sink type \"" + c.type()
                        + "\" (known types: " + String.join(", ", providers.keySet()) + ")");
            }
            out.add(new NamedSink(c.name(), c.type(), p.create(c, context.apply(c))));
        }
        return out;
    }

    /** A created sink with the name and type its outcome is reported under. */
    public record NamedSink(String name, String type, Sink sink) {
    }
}
