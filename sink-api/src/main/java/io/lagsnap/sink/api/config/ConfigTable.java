package io.lagsnap.sink.api.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * One table of a config file, already environment-substituted, read through typed getters: the loader reads
 * {@code [exporter]}, {@code [run]} and {@code [[clusters]]} with it, and a sink provider its {@link SinkConfig}.
 *
 * <p>A getter that finds a bad value records the problem (naming file, line, key path and value) and returns its
 * fallback, so the reader goes on in its plain getter style and one run reports every bad value; {@link #check()}
 * throws what was recorded. Each getter also declares its key: {@link #requireOnlyReadKeys} then rejects every other
 * key of the table with a "did you mean" hint, so a key is named in one place, its getter. A table is read on one
 * thread.
 */
public class ConfigTable {
    private final String where;
    private final Map<String, Object> options;
    private final String source;
    private final String path;
    private final int line;
    private final ToIntFunction<String> keyLine;
    private final List<ConfigException.Problem> problems;
    private final Set<String> read = new HashSet<>();

    /**
     * A table whose lines are not known (built in code, or from a source without lines).
     *
     * @param where the key path prefix for messages, e.g. {@code "config.toml: sinks[1]"}
     */
    public ConfigTable(String where, Map<String, Object> options) {
        this(where, null, null, 0, key -> 0, options, new ArrayList<>());
    }

    /**
     * A table read from a file, so messages name the line: {@code "config.toml:12: sinks[1].url: ..."}.
     *
     * @param source  the file, e.g. {@code "config.toml"}
     * @param path    the table's key path, e.g. {@code "sinks[1]"}; empty for the top level of the file
     * @param line    the line of the table's header, 0 when not known
     * @param keyLine the line of a key of this table, 0 when it is absent or not known
     */
    public ConfigTable(String source, String path, int line, ToIntFunction<String> keyLine,
                       Map<String, Object> options) {
        this(source + (path.isEmpty() ? "" : ": " + path), source, path, line, keyLine, options, new ArrayList<>());
    }

    private ConfigTable(String where, String source, String path, int line, ToIntFunction<String> keyLine,
                        Map<String, Object> options, List<ConfigException.Problem> problems) {
        this.where = where;
        this.source = source;
        this.path = path;
        this.line = line;
        this.keyLine = keyLine;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        this.problems = problems;
    }

    public String where() {
        return where;
    }

    /** The table's key path in the file, e.g. {@code sinks[1]}; empty for the top level. */
    public String path() {
        return path == null ? "" : path;
    }

    /** The key path of {@code key} in the file, e.g. {@code exporter.granularity} or {@code sinks[1].url}. */
    public String path(String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
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

    /** The message prefix for a key of this table: file, line when known, and key path. */
    public String at(String key) {
        if (source == null) {
            return where + "." + key;
        }
        int l = line(key);
        return source + (l > 0 ? ":" + l : "") + ": " + path(key);
    }

    /** Records every key not in {@code known}, each with a "did you mean" hint. */
    public void requireOnlyKeys(Collection<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                problems.add(new ConfigException.Problem(line(key), KeyHints.unknownKey(at(key), key, known)));
            }
        }
    }

    /**
     * Records every key no getter of this table has read, each with a "did you mean" hint from the keys read and
     * {@code alsoKnown}: call it once every key has been read.
     */
    public void requireOnlyReadKeys(Collection<String> alsoKnown) {
        Set<String> known = new TreeSet<>(read);
        known.addAll(alsoKnown);
        requireOnlyKeys(known);
    }

    /** Records a problem with {@code key}'s value (a check of the reader's own); the reader goes on. */
    public void problem(String key, String what) {
        problems.add(new ConfigException.Problem(line(key), at(key) + ": " + what));
    }

    /**
     * Runs a check of {@code key} of the reader's own: a {@link ConfigException} it throws is recorded (at the key's
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

    /** The problems recorded so far (by this table and the tables in it), in the order they were found. */
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

    ConfigException error(String key, String what) {
        return new ConfigException(line(key), at(key) + ": " + what);
    }

    /** The value of {@code key}, declaring it read. */
    Object value(String key) {
        read.add(key);
        return options.get(key);
    }

    public boolean has(String key) {
        return value(key) != null;
    }

    public String string(String key, String fallback) {
        Object v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            problem(key, "expected a string, got " + describe(v));
            return fallback;
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
        Object v = value(key);
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
        Object v = value(key);
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
        return duration(key, fallback, Durations.MIN, Durations.MAX);
    }

    /** A duration string such as "10s" from {@code min} to {@code max}. */
    public Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Object v = value(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            problem(key, "expected a duration string such as \"10s\", got " + describe(v));
            return fallback;
        }
        return read(key, () -> Durations.parse(s, at(key), min, max), fallback);
    }

    /** A table of string values, e.g. headers or grouping labels. */
    public Map<String, String> stringMap(String key) {
        return strings(key, false);
    }

    /** A table of scalar values as text, as Kafka client properties are: numbers and booleans become their text. */
    public Map<String, String> textMap(String key) {
        return strings(key, true);
    }

    private Map<String, String> strings(String key, boolean scalarsAsText) {
        Object v = value(key);
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
            } else if (scalarsAsText && !(val instanceof Map) && !(val instanceof List) && val != null) {
                out.put(String.valueOf(k), String.valueOf(val));
            } else if (val != null) {
                problems.add(new ConfigException.Problem(line(key + "." + k),
                        at(key + "." + k) + ": expected a string, got " + describe(val)));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    public List<String> stringList(String key) {
        Object v = value(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            problem(key, "expected a list of strings, got " + describe(v));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) instanceof String s) {
                out.add(s);
            } else if (l.get(i) != null) {
                problem(key + "[" + i + "]", "expected a string, got " + describe(l.get(i)));
            }
        }
        return List.copyOf(out);
    }

    /** The table at {@code key}, sharing this table's problems; null when absent or (a recorded problem) not a table. */
    public ConfigTable table(String key) {
        Object v = value(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            problem(key, "expected a table, got " + describe(v));
            return null;
        }
        return nested(key, m);
    }

    /**
     * The tables of an array of tables ({@code [[key]]}), sharing this table's problems; an entry that is not a
     * table is a recorded problem, and an empty list when the key is absent or (a recorded problem) not an array.
     */
    public List<ConfigTable> tables(String key) {
        Object v = value(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            problem(key, "must be an array of tables ([[" + key + "]]), got " + describe(v));
            return List.of();
        }
        List<ConfigTable> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            String entry = key + "[" + i + "]";
            if (l.get(i) instanceof Map<?, ?> m) {
                out.add(nested(entry, m));
            } else {
                problem(entry, "expected a table, got " + describe(l.get(i)));
            }
        }
        return out;
    }

    private ConfigTable nested(String key, Map<?, ?> m) {
        Map<String, Object> inner = new LinkedHashMap<>();
        m.forEach((k, val) -> inner.put(String.valueOf(k), val));
        String nestedWhere = source == null ? where + "." + key : source + ": " + path(key);
        return new ConfigTable(nestedWhere, source, source == null ? null : path(key), line(key),
                k -> keyLine.applyAsInt(key + "." + k), inner, problems);
    }

    /** A value as messages show it: strings quoted; tables and lists never spelt out (they may hold secrets). */
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
}
