package io.lagsnap.sink.api.config;

import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * One {@code [[sinks]]} table: its {@code type}, an optional {@code name}, and the type-specific keys, already
 * environment-substituted, read through the typed getters every table of the config has ({@link ConfigTable}).
 *
 * <p>A getter that finds a bad value records the problem (naming file, line, key path and value) and returns its
 * fallback, so a provider reads on in its plain getter style and one run reports every bad value of the table.
 * Only {@link #requiredString} throws, since nothing can be built without the key. After
 * {@link io.lagsnap.sink.api.SinkProvider#create} the registry calls {@link #check()}, which throws the recorded
 * problems in one {@link ConfigException}. A table is read on one thread.
 */
public final class SinkConfig extends ConfigTable {
    private final String type;
    private final String name;

    /**
     * A table whose lines are not known (built in code, or from a source without lines).
     *
     * @param where the key path prefix for messages, e.g. {@code "config.toml: sinks[1]"}
     * @param options the keys of the table other than {@code type} and {@code name}
     */
    public SinkConfig(String type, String name, String where, Map<String, Object> options) {
        super(where, options);
        this.type = type;
        this.name = name;
    }

    /**
     * A table read from a file, so messages name the line: {@code "config.toml:12: sinks[1].url: ..."}.
     *
     * @param source  the file, e.g. {@code "config.toml"}
     * @param path    the table's key path, e.g. {@code "sinks[1]"}
     * @param line    the line of the table's header, 0 when not known
     * @param keyLine the line of a key of this table, 0 when it is absent or not known
     */
    public SinkConfig(String type, String name, String source, String path, int line, ToIntFunction<String> keyLine,
                      Map<String, Object> options) {
        super(source, path, line, keyLine, options);
        this.type = type;
        this.name = name;
    }

    public String type() {
        return type;
    }

    /** The name in run reports: the configured {@code name}, else the type. */
    public String name() {
        return name;
    }

    /** The key's string; throws (the provider cannot go on without it) when it is missing, blank or not a string. */
    public String requiredString(String key) {
        Object v = value(key);
        if (v != null && !(v instanceof String)) {
            throw error(key, "expected a string, got " + describe(v));
        }
        String s = (String) v;
        if (s == null || s.isBlank()) {
            throw error(key, "required for sink type \"" + type + "\"");
        }
        return s;
    }

    @Override
    public String toString() {
        return "SinkConfig[" + type + " " + name + "]";
    }
}
