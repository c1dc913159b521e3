package io.lagsnap.core.sink;

import io.lagsnap.core.config.ConfigException;
import io.lagsnap.core.config.SinkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The sink providers on the class path, by type. Each deploy artifact bundles only the sinks it needs. */
public final class SinkRegistry {
    private final Map<String, SinkProvider> providers;

    private SinkRegistry(Map<String, SinkProvider> providers) {
        this.providers = providers;
    }

    public static SinkRegistry load() {
        Map<String, SinkProvider> byType = new TreeMap<>();
        for (SinkProvider p : ServiceLoader.load(SinkProvider.class, SinkRegistry.class.getClassLoader())) {
            byType.put(p.type(), p);
        }
        return new SinkRegistry(byType);
    }

    public java.util.Set<String> types() {
        return providers.keySet();
    }

    /** Creates every configured sink, or fails on the first bad table before any is used. */
    public List<NamedSink> create(List<SinkConfig> configs, SinkContext context) {
        List<NamedSink> out = new ArrayList<>();
        for (SinkConfig c : configs) {
            SinkProvider p = providers.get(c.type());
            if (p == null) {
                throw new ConfigException(c.at("type") + ": unknown sink type \"" + c.type()
                        + "\" (known types: " + String.join(", ", providers.keySet()) + ")");
            }
            out.add(new NamedSink(c.name(), c.type(), p.create(c, context)));
        }
        return out;
    }

    /** A created sink with the name and type its outcome is reported under. */
    public record NamedSink(String name, String type, Sink sink) {
    }
}
