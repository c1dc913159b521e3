package io.lagsnap.sink.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One {@code [[sinks]]} table: its {@code type}, an optional {@code name}, and the type-specific keys, already
 * environment-substituted.
 *
 * <p>A typed getter that finds a bad value records the problem (naming file, line, key path and value) and returns
 * its fallback, so a provider reads on in its plain getter style and one run reports every bad value of the table.
 * Only {@link #requiredString} throws, since nothing can be built without the key. After
 * {@link io.lagsnap.sink.api.SinkProvider#create} the registry calls {@link #check()}, which throws the recorded
 * problems in one {@link ConfigException}. A table is read on one thread.
 */
public final class SinkConfig {
    private final String type;
    private final String name;
    private final String where;
    private final Map<String, Object> options;
    private final String source;
    private final String path;
    private final int line;
    private final ToIntFunction<String> keyLine;
    private final List<ConfigException.Problem> problems = new ArrayList<>();

    /**
     * A table whose lines are not known (built in code, or from a source without lines).
     *
     * @param where the key path prefix for messages, e.g. {@code "config.toml: sinks[1]"}
     * @param options the keys of the table other than {@code type} and {@code name}
     */
    public SinkConfig(String type, String name, String where, Map<String, Object> options) {
        this(type, name, where, null, null, 0, key -> 0, options);
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
        this(type, name, source + ": " + path, source, path, line, keyLine, options);
    }

    private SinkConfig(String type, String name, String where, String source, String path, int line,
                       ToIntFunction<String> keyLine, Map<String, Object> options) {
        this.type = type;
        this.name = name;
        this.where = where;
        this.source = source;
        this.path = path;
        this.line = line;
        this.keyLine = keyLine;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public String type() {
        return type;
    }

    /** The name in run reports: the configured {@code name}, else the type. */
    public String name() {
        return name;
    }

    public String where() {
        return where;
    }

    public Map<String, Object> options() {
        return options;
    }

    /** The line of the table's header in the file, 0 when not known. */
    public int line() {
        return line;
    }

    /** The line of {@code key}, else of this table (where a missing key belongs), 0 when not known. */
    public int line(String key) {
        int l = keyLine.applyAsInt(key);
        return l > 0 ? l : line;
    }

    /** The message prefix for a key of this sink: file, line when known, and key path. */
    public String at(String key) {
        int l = line(key);
        return l > 0 ? source + ":" + l + ": " + path + "." + key : where + "." + key;
    }

    /** Records every key a sink does not know, each with a "did you mean" hint. */
    public void requireOnlyKeys(Collection<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                problems.add(new ConfigException.Problem(line(key), KeyHints.unknownKey(at(key), key, known)));
            }
        }
    }

    /** Records a problem with {@code key}'s value (a provider's own check); the provider goes on with a default. */
    public void problem(String key, String what) {
        problems.add(new ConfigException.Problem(line(key), at(key) + ": " + what));
    }

    /**
     * Runs a provider's own check of {@code key}: a {@link ConfigException} it throws is recorded (at the key's
     * line when it names none) and {@code fallback} returned.
     */
    public <T> T read(String key, Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ConfigException e) {
            e.problems().forEach(p -> problems.add(p.line() > 0 ? p
                    : new ConfigException.Problem(line(key), p.message())));
            return fallback;
        }
    }

    /** The problems recorded so far, in the order they were found. */
    public List<ConfigException.Problem> problems() {
        return List.copyOf(problems);
    }

    /** Throws every problem recorded so far in one {@link ConfigException}, and forgets them; nothing when none. */
    public void check() {
        if (!problems.isEmpty()) {
            ConfigException all = new ConfigException(problems);
            problems.clear();
            throw all;
        }
    }

    private ConfigException error(String key, String what) {
        return new ConfigException(line(key), at(key) + ": " + what);
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    public String string(String key, String fallback) {
        Object v = options.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            problem(key, "expected a string, got " + describe(v));
            return fallback;
        }
        return s;
    }

    /** The key's string; throws (the provider cannot go on without it) when it is missing, blank or not a string. */
    public String requiredString(String key) {
        Object v = options.get(key);
        if (v != null && !(v instanceof String)) {
            throw error(key, "expected a string, got " + describe(v));
        }
        String s = (String) v;
        if (s == null || s.isBlank()) {
            throw error(key, "required for sink type \"" + type + "\"");
        }
        return s;
    }

    /** One of a fixed set of values, case-sensitive, naming the allowed ones on error. */
    public String choice(String key, String fallback, Set<String> allowed) {
        String s = string(key, fallback);
        if (s != null && !allowed.contains(s)) {
            problem(key, "\"" + s + "\" is not one of " + allowed);
            return fallback;
        }
        return s;
    }

    public boolean bool(String key, boolean fallback) {
        Object v = options.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        problem(key, "expected true or false, got " + describe(v));
        return fallback;
    }

    public int integer(String key, int fallback, int min) {
        return integer(key, fallback, min, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}; any size of input is reported as it was written. */
    public int integer(String key, int fallback, int min, int max) {
        Object v = options.get(key);
        if (v == null) {
            return fallback;
        }
        String text;
        if (v instanceof Number num && !(v instanceof Double) && !(v instanceof Float)) {
            text = num.toString();
        } else if (v instanceof String s && s.matches("-?\\d+")) {
            text = s;
        } else {
            problem(key, "expected a whole number, got " + describe(v));
            return fallback;
        }
        return read(key, () -> wholeNumber(at(key), text, min, max), fallback);
    }

    /** Parses decimal digits of any length; fails naming {@code at} and the range unless {@code min <= n <= max}. */
    public static int wholeNumber(String at, String digits, int min, int max) {
        java.math.BigInteger n = new java.math.BigInteger(digits);
        if (n.compareTo(java.math.BigInteger.valueOf(min)) < 0 || n.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(at + ": " + digits + " is out of range: must be from " + min + " to " + max);
        }
        return n.intValueExact();
    }

    public Duration duration(String key, Duration fallback) {
        Object v = options.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            problem(key, "expected a duration string such as \"10s\", got " + describe(v));
            return fallback;
        }
        return read(key, () -> Durations.parse(s, at(key)), fallback);
    }

    /** A table of string values, e.g. headers or grouping labels. */
    public Map<String, String> stringMap(String key) {
        Object v = options.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            problem(key, "expected a table of strings, got " + describe(v));
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, val) -> {
            if (val instanceof String s) {
                out.put(String.valueOf(k), s);
            } else {
                problems.add(new ConfigException.Problem(line(key),
                        at(key) + "." + k + ": expected a string, got " + describe(val)));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    public List<String> stringList(String key) {
        Object v = options.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            problem(key, "expected a list of strings, got " + describe(v));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof String s) {
                out.add(s);
            } else {
                problem(key, "expected a list of strings, got an element " + describe(o));
            }
        }
        return List.copyOf(out);
    }

    static String describe(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map) {
            return "a table";
        }
        if (v instanceof List) {
            return "a list";
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return "SinkConfig[" + type + " " + name + "]";
    }
}
