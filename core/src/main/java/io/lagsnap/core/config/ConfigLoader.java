package io.lagsnap.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.Durations;
import io.lagsnap.sink.api.config.KeyHints;
import io.lagsnap.sink.api.config.LabelNames;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.config.Urls;
import io.lagsnap.sink.api.model.Granularity;
import java.io.IOException;
import java.net.URI;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads a lagsnap config.toml: a superset of klag-exporter's, so an existing file loads unchanged. Every problem of
 * the file is reported in one {@link ConfigException}, sorted by line, each naming the source, the line, the key path
 * and what is wrong (malformed TOML: the parser's line and column); nothing connects anywhere before loading has
 * succeeded.
 */
public final class ConfigLoader {
    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{(\\??)([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    /** Cluster labels may not take the names Prometheus itself sets on a scrape or push. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    /** A config file is a few kilobytes; reading more would let /dev/zero or a wrong path exhaust memory. */
    static final int MAX_FILE_BYTES = 1 << 20;
    /** The longest string value, after ${VAR} substitution (a PEM chain fits many times over). */
    static final int MAX_VALUE_CHARS = 64 * 1024;
    private static final char BOM = '\uFEFF';
    private static final Duration RUN_DEADLINE_MIN = Duration.ofSeconds(1);
    private static final Duration TIMEOUT_MIN = Duration.ofMillis(10);
    private static final Duration TIMEOUT_MAX = Duration.ofHours(1);
    private static final int MAX_PARTITIONS_PER_WAVE = 1_000_000;

    private static final Set<String> ROOT_KEYS = Set.of("exporter", "clusters", "sinks", "run");
    private static final Set<String> EXPORTER_KEYS = Set.of("granularity", "lag_isolation", "timestamp_sampling",
            "performance");
    private static final Set<String> EXPORTER_SERVER_KEYS = Set.of("poll_interval", "http_port", "http_host",
            "leadership", "otel");
    private static final Set<String> SAMPLING_KEYS = Set.of("enabled", "fetch_timeout", "max_partitions_per_wave",
            "skip_data_loss_partitions");
    /** klag-exporter caches timestamps and fetches per partition; lagsnap samples fresh, with one consumer. */
    private static final Set<String> SAMPLING_SERVER_KEYS = Set.of("cache_ttl", "max_concurrent_fetches");
    private static final Set<String> PERFORMANCE_KEYS = Set.of("kafka_timeout", "offset_fetch_timeout",
            "connect_timeout");
    /** klag-exporter tunes its per-group and per-partition fan-out; lagsnap batches, so these have no effect. */
    private static final Set<String> PERFORMANCE_FANOUT_KEYS = Set.of("max_concurrent_groups",
            "max_concurrent_watermarks");
    private static final Set<String> CLUSTER_KEYS = Set.of("name", "bootstrap_servers", "group_whitelist",
            "group_blacklist", "topic_whitelist", "topic_blacklist", "consumer_properties", "labels");
    private static final Set<String> RUN_KEYS = Set.of("deadline", "state");

    private final UnaryOperator<String> env;

    /** @param env looks up environment variables (null when unset); tests pass a map's get. */
    public ConfigLoader(UnaryOperator<String> env) {
        this.env = env;
    }

    public static ConfigLoader withSystemEnv() {
        return new ConfigLoader(System::getenv);
    }

    public LagsnapConfig load(Path file) {
        return load(file, config -> { });
    }

    /**
     * A config file's text: at most {@link #MAX_FILE_BYTES}, strict UTF-8 (the offset of a bad byte named), so
     * {@code /dev/zero} or a binary file is a config error, not an out-of-memory or a garbled parse.
     */
    public static String read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(file + ": larger than " + MAX_FILE_BYTES + " bytes (1 MiB), the most a config "
                    + "file may hold; is this the right file?");
        }
        return utf8(bytes, file.toString());
    }

    /** Decodes strictly, naming the byte offset of the first invalid sequence. */
    private static String utf8(byte[] bytes, String source) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(source + ": not UTF-8: invalid byte sequence at byte offset " + in.position());
        }
    }

    /** @param source names the text's origin in messages: a path, "LAGSNAP_CONFIG", a URL. */
    public LagsnapConfig parse(String text, String source) {
        return parse(text, source, config -> { });
    }

    /** As {@link #load(Path)}, with {@code check} as in {@link #parse(String, String, Consumer)}. */
    public LagsnapConfig load(Path file, Consumer<LagsnapConfig> check) {
        return parse(read(file), file.toString(), check);
    }

    /**
     * Parses and checks the whole text, reporting every problem in one {@link ConfigException}, one a line, sorted by
     * line. {@code check} (building every sink, say) runs on the config even when reading found problems, with
     * defaults in place of the bad values, so its problems are reported in the same exception.
     */
    public LagsnapConfig parse(String text, String source, Consumer<LagsnapConfig> check) {
        if (text.length() > MAX_FILE_BYTES) {
            throw new ConfigException(source + ": larger than " + MAX_FILE_BYTES + " characters (1 MiB), the most a "
                    + "config may hold");
        }
        if (!text.isEmpty() && text.charAt(0) == BOM) {
            text = text.substring(1);
        }
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String at = loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new ConfigException(source + at + ": malformed TOML: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = TOML.createObjectNode();
        }
        Reader reader = new Reader(source, TomlKeyLines.of(text));
        LagsnapConfig config = reader.read((ObjectNode) root);
        // registered with the scrubber as soon as they are resolved, before anything can log them
        Secrets.of(config);
        try {
            check.accept(config);
        } catch (ConfigException e) {
            reader.problems.addAll(e.problems());
        }
        if (!reader.problems.isEmpty()) {
            throw new ConfigException(reader.problems);
        }
        List<String> warnings = new ArrayList<>(config.warnings());
        Secrets.tooShort(config).forEach(key -> warnings.add(source + ": " + key + " is a secret shorter than "
                + Secrets.MIN_SAFE + " characters: too short to be safe, and too short to scrub from logs reliably"));
        return new LagsnapConfig(config.source(), config.exporter(), config.run(), config.clusters(), config.sinks(),
                warnings);
    }

    /**
     * One pass over one document. It collects every problem rather than stopping at the first: a bad value is
     * recorded and its default read in its place, so the rest of the document is still checked.
     */
    private final class Reader {
        private final String source;
        private final Map<String, Integer> lines;
        private final List<String> warnings = new ArrayList<>();
        private final List<ConfigException.Problem> problems = new ArrayList<>();

        Reader(String source, Map<String, Integer> lines) {
            this.source = source;
            this.lines = lines;
        }

        LagsnapConfig read(ObjectNode root) {
            checkKeys(root, "", ROOT_KEYS, Set.of());
            ExporterConfig exporter = exporter(table(root, "", "exporter"));
            RunConfig run = run(table(root, "", "run"));
            List<ClusterConfig> clusters = clusters(root.get("clusters"));
            List<SinkConfig> sinks = sinks(root.get("sinks"));
            return new LagsnapConfig(source, exporter, run, clusters, sinks, warnings);
        }

        private ExporterConfig exporter(ObjectNode node) {
            if (node == null) {
                return ExporterConfig.DEFAULTS;
            }
            checkKeys(node, "exporter", EXPORTER_KEYS, EXPORTER_SERVER_KEYS);
            Granularity granularity = attempt("exporter.granularity", () -> switch (
                    string(node, "exporter", "granularity", "topic")) {
                case "topic" -> Granularity.TOPIC;
                case "partition" -> Granularity.PARTITION;
                default -> throw error("exporter.granularity", "must be \"topic\" or \"partition\", got \""
                        + node.get("granularity").asText() + "\"");
            }, Granularity.TOPIC);
            var ts = ExporterConfig.TimestampSampling.DEFAULTS;
            ObjectNode s = table(node, "exporter", "timestamp_sampling");
            if (s != null) {
                String p = "exporter.timestamp_sampling";
                checkKeys(s, p, SAMPLING_KEYS, SAMPLING_SERVER_KEYS);
                ts = new ExporterConfig.TimestampSampling(
                        bool(s, p, "enabled", ts.enabled()),
                        duration(s, p, "fetch_timeout", ts.fetchTimeout(), TIMEOUT_MIN, TIMEOUT_MAX),
                        integer(s, p, "max_partitions_per_wave", ts.maxPartitionsPerWave(), MAX_PARTITIONS_PER_WAVE),
                        bool(s, p, "skip_data_loss_partitions", ts.skipDataLossPartitions()));
            }
            var perf = ExporterConfig.Performance.DEFAULTS;
            ObjectNode pn = table(node, "exporter", "performance");
            if (pn != null) {
                String p = "exporter.performance";
                checkKeys(pn, p, PERFORMANCE_KEYS, PERFORMANCE_FANOUT_KEYS);
                perf = new ExporterConfig.Performance(
                        duration(pn, p, "kafka_timeout", perf.kafkaTimeout(), TIMEOUT_MIN, TIMEOUT_MAX),
                        duration(pn, p, "offset_fetch_timeout", perf.offsetFetchTimeout(), TIMEOUT_MIN,
                                TIMEOUT_MAX),
                        duration(pn, p, "connect_timeout", perf.connectTimeout(), TIMEOUT_MIN, TIMEOUT_MAX));
            }
            ExporterConfig.LagIsolation isolation = attempt("exporter.lag_isolation", () -> switch (
                    string(node, "exporter", "lag_isolation", "auto")) {
                case "auto" -> ExporterConfig.LagIsolation.AUTO;
                case "read_uncommitted" -> ExporterConfig.LagIsolation.READ_UNCOMMITTED;
                case "read_committed" -> ExporterConfig.LagIsolation.READ_COMMITTED;
                default -> throw error("exporter.lag_isolation", "must be \"read_uncommitted\", \"read_committed\" "
                        + "or \"auto\", got \"" + node.get("lag_isolation").asText() + "\"");
            }, ExporterConfig.LagIsolation.AUTO);
            return new ExporterConfig(granularity, isolation, ts, perf);
        }

        private RunConfig run(ObjectNode node) {
            if (node == null) {
                return RunConfig.DEFAULTS;
            }
            checkKeys(node, "run", RUN_KEYS, Set.of());
            return new RunConfig(duration(node, "run", "deadline", RunConfig.DEFAULTS.deadline(), RUN_DEADLINE_MIN,
                    Durations.MAX), attempt("run.state", () -> state(node), null));
        }

        /** "none", a directory as a file: URL, or a bucket and prefix as an s3:// or gs:// URL. */
        private URI state(ObjectNode node) {
            String text = string(node, "run", "state", null);
            if (text == null) {
                return null;
            }
            if ("none".equals(text)) {
                return RunConfig.NO_STATE;
            }
            URI uri = Urls.parse(at("run.state"), text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            switch (scheme) {
                case "file" -> {
                    if (uri.getPath() == null || uri.getPath().isEmpty()) {
                        throw error("run.state", "\"" + Urls.shown(text) + "\" must be a directory as a file:// URL, "
                                + "e.g. \"file:///var/lib/lagsnap\"");
                    }
                }
                case "s3", "gs" -> {
                    if (uri.getAuthority() == null) {
                        throw error("run.state", "\"" + Urls.shown(text) + "\" needs a bucket, e.g. \"" + scheme
                                + "://my-bucket/lagsnap\"");
                    }
                }
                default -> throw error("run.state", "\"" + Urls.shown(text) + "\" has "
                        + (scheme.isEmpty() ? "no scheme" : "an unknown scheme \"" + scheme + "\"")
                        + ": use file://, s3:// or gs://, or \"none\" for no trends");
            }
            return uri;
        }

        private List<ClusterConfig> clusters(JsonNode node) {
            if (node == null || !node.isArray() || node.isEmpty()) {
                problem("clusters", node == null || node.isArray()
                        ? "at least one [[clusters]] entry is required"
                        : "must be an array of tables ([[clusters]])");
                return List.of();
            }
            List<ClusterConfig> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String p = "clusters[" + i + "]";
                JsonNode entry = node.get(i);
                ObjectNode c = attempt(p, () -> asTable(entry, p), null);
                if (c == null) {
                    continue;
                }
                checkKeys(c, p, CLUSTER_KEYS, Set.of());
                String name = string(c, p, "name", null);
                boolean named = name != null && !name.isBlank();
                if (!named) {
                    problem(p + ".name", "required and must not be empty");
                } else if (!names.add(name)) {
                    problem(p + ".name", "duplicate cluster name \"" + name + "\"");
                }
                String bootstrap = string(c, p, "bootstrap_servers", "");
                check(p + ".bootstrap_servers", () -> checkBootstrap(p + ".bootstrap_servers", bootstrap));
                Map<String, String> labels = stringTable(c, p, "labels");
                labels.keySet().forEach(l -> check(p + ".labels." + l,
                        () -> LabelNames.check(at(p + ".labels." + l), l, TARGET_LABELS)));
                String props = p + ".consumer_properties";
                ClusterConfig cluster = new ClusterConfig(name, bootstrap,
                        patterns(c, p, "group_whitelist", List.of(".*")),
                        patterns(c, p, "group_blacklist", List.of()),
                        patterns(c, p, "topic_whitelist", List.of(".*")),
                        patterns(c, p, "topic_blacklist", List.of("^__.*")),
                        attempt(props, () -> LibrdkafkaProperties.toJava(at(props),
                                stringTable(c, p, "consumer_properties")), Map.of()),
                        labels);
                if (named) {
                    out.add(cluster);
                }
            }
            return out;
        }

        private List<SinkConfig> sinks(JsonNode node) {
            if (node == null) {
                return List.of();
            }
            if (!node.isArray()) {
                problem("sinks", "must be an array of tables ([[sinks]])");
                return List.of();
            }
            List<SinkConfig> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String p = "sinks[" + i + "]";
                JsonNode entry = node.get(i);
                ObjectNode s = attempt(p, () -> asTable(entry, p), null);
                if (s == null) {
                    continue;
                }
                String type = string(s, p, "type", null);
                if (type == null || type.isBlank()) {
                    problem(p + ".type", "required (the sink type, e.g. \"file\" or \"pushgateway\")");
                    continue;
                }
                String name = string(s, p, "name", type);
                if (!names.add(name)) {
                    problem(p + ".name", "two sinks are named \"" + name
                            + "\": give each sink of the same type a distinct name");
                    continue;
                }
                Map<String, Object> options = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    var e = it.next();
                    String key = e.getKey();
                    if (!key.equals("type") && !key.equals("name")) {
                        check(p + "." + key, () -> options.put(key, plain(e.getValue(), p + "." + key)));
                    }
                }
                out.add(new SinkConfig(type, name, source, p, line(p), key -> lines.getOrDefault(p + "." + key, 0),
                        options));
            }
            return out;
        }

        // ---- typed access with env substitution ----

        private Object plain(JsonNode v, String path) {
            if (v.isTextual()) {
                return substitute(v.asText(), path);
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            if (v.isIntegralNumber()) {
                return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
            }
            if (v.isNumber()) {
                return v.doubleValue();
            }
            if (v.isArray()) {
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) {
                    l.add(plain(v.get(i), path + "[" + i + "]"));
                }
                return l;
            }
            if (v.isObject()) {
                Map<String, Object> m = new LinkedHashMap<>();
                v.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue(), path + "." + e.getKey())));
                return m;
            }
            return v.asText();
        }

        private String substitute(String text, String path) {
            Matcher m = ENV_REF.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = env.apply(m.group(2));
                if (value == null) {
                    if (m.group(3) != null) {
                        value = m.group(3);
                    } else if (!m.group(1).isEmpty()) {
                        value = "";
                    } else {
                        throw error(path, "environment variable " + m.group(2)
                                + " is not set (use ${" + m.group(2) + ":-default} for a default)");
                    }
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            if (out.length() > MAX_VALUE_CHARS) {
                throw error(path, "value of " + out.length() + " characters is longer than the " + MAX_VALUE_CHARS
                        + " a config value may hold");
            }
            return out.toString();
        }

        /** The string at {@code key}, substituted; a problem is recorded and {@code fallback} read instead. */
        private String string(ObjectNode node, String prefix, String key, String fallback) {
            String path = join(prefix, key);
            return attempt(path, () -> {
                JsonNode v = node.get(key);
                if (v == null) {
                    return fallback;
                }
                if (!v.isTextual()) {
                    throw error(path, "expected a string, got " + v);
                }
                return substitute(v.asText(), path);
            }, fallback);
        }

        private boolean bool(ObjectNode node, String prefix, String key, boolean fallback) {
            String path = join(prefix, key);
            return attempt(path, () -> {
                JsonNode v = node.get(key);
                if (v == null) {
                    return fallback;
                }
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
                String s = v.isTextual() ? substitute(v.asText(), path) : v.toString();
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.parseBoolean(s);
                }
                throw error(path, "expected true or false, got " + v);
            }, fallback);
        }

        private int integer(ObjectNode node, String prefix, String key, int fallback, int max) {
            String path = join(prefix, key);
            return attempt(path, () -> {
                JsonNode v = node.get(key);
                if (v == null) {
                    return fallback;
                }
                // bigIntegerValue: asText() of a big TOML integer drops its leading digits
                String s = v.isTextual() ? substitute(v.asText(), path)
                        : v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.asText();
                if (!s.matches("-?\\d+")) {
                    throw error(path, "expected a whole number, got " + v);
                }
                return SinkConfig.wholeNumber(at(path), s, 1, max);
            }, fallback);
        }

        private Duration duration(ObjectNode node, String prefix, String key, Duration fallback, Duration min,
                                  Duration max) {
            String path = join(prefix, key);
            String s = string(node, prefix, key, null);
            return s == null ? fallback : attempt(path, () -> Durations.parse(s, at(path), min, max), fallback);
        }

        private List<Pattern> patterns(ObjectNode node, String prefix, String key, List<String> fallback) {
            String path = join(prefix, key);
            JsonNode v = node.get(key);
            List<String> texts = new ArrayList<>();
            if (v == null) {
                texts.addAll(fallback);
            } else if (!v.isArray()) {
                problem(path, "expected a list of regular expressions, got " + v);
            } else {
                for (int i = 0; i < v.size(); i++) {
                    String element = path + "[" + i + "]";
                    JsonNode e = v.get(i);
                    if (!e.isTextual()) {
                        problem(element, "expected a string, got " + e);
                    } else {
                        texts.add(attempt(element, () -> substitute(e.asText(), element), ""));
                    }
                }
            }
            List<Pattern> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                try {
                    out.add(Pattern.compile(texts.get(i)));
                } catch (PatternSyntaxException e) {
                    problem(path + "[" + i + "]", "bad regex \"" + texts.get(i) + "\": "
                            + e.getDescription() + " near index " + e.getIndex());
                }
            }
            return out;
        }

        /** Tables of strings; numbers and booleans are turned into their text, as Kafka client configs expect. */
        private Map<String, String> stringTable(ObjectNode node, String prefix, String key) {
            ObjectNode t = table(node, prefix, key);
            Map<String, String> out = new LinkedHashMap<>();
            if (t != null) {
                t.fields().forEachRemaining(e -> {
                    String path = join(prefix, key) + "." + e.getKey();
                    JsonNode v = e.getValue();
                    if (v.isContainerNode()) {
                        // the value of a secret-bearing key is never shown
                        problem(path, "expected a string value, got "
                                + (Secrets.isSecretKey(e.getKey()) ? (v.isArray() ? "a list" : "a table") : v));
                    } else if (v.isTextual()) {
                        check(path, () -> out.put(e.getKey(), substitute(v.asText(), path)));
                    } else {
                        out.put(e.getKey(), v.asText());
                    }
                });
            }
            return out;
        }

        private void checkBootstrap(String path, String bootstrap) {
            if (bootstrap.isBlank()) {
                throw error(path, "empty bootstrap list (expected host:port[,host:port...])");
            }
            for (String server : bootstrap.split(",")) {
                String s = server.trim();
                int colon = s.lastIndexOf(':');
                if (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}")) {
                    throw error(path, "\"" + s + "\" is not host:port");
                }
            }
        }

        /** Records every unknown key of the table, with a "did you mean" hint; warns of klag-exporter's server keys. */
        private void checkKeys(ObjectNode node, String prefix, Set<String> known, Set<String> ignored) {
            node.fieldNames().forEachRemaining(k -> {
                String path = join(prefix, k);
                if (ignored.contains(k)) {
                    warnings.add(source + ": " + path
                            + " is a klag-exporter server setting; a one-shot lagsnap run ignores it");
                } else if (!known.contains(k)) {
                    Set<String> all = new java.util.TreeSet<>(known);
                    all.addAll(ignored);
                    problems.add(new ConfigException.Problem(line(path), KeyHints.unknownKey(at(path), k, all)));
                }
            });
        }

        /** The table at {@code key}, null when absent or (a recorded problem) not a table. */
        private ObjectNode table(ObjectNode parent, String prefix, String key) {
            JsonNode v = parent.get(key);
            String path = join(prefix, key);
            return v == null ? null : attempt(path, () -> asTable(v, path), null);
        }

        private ObjectNode asTable(JsonNode v, String path) {
            if (!v.isObject()) {
                throw error(path, "expected a table, got " + v);
            }
            return (ObjectNode) v;
        }

        /**
         * Runs one read; on a config error records its problems (at {@code path}'s line when they name none) and
         * returns {@code fallback}, so reading goes on.
         */
        private <T> T attempt(String path, Supplier<T> read, T fallback) {
            try {
                return read.get();
            } catch (ConfigException e) {
                e.problems().forEach(p -> problems.add(p.line() > 0 ? p
                        : new ConfigException.Problem(line(path), p.message())));
                return fallback;
            }
        }

        /** As {@link #attempt} for a check that returns nothing. */
        private void check(String path, Runnable check) {
            attempt(path, () -> {
                check.run();
                return null;
            }, null);
        }

        private void problem(String path, String what) {
            problems.add(new ConfigException.Problem(line(path), at(path) + ": " + what));
        }

        private ConfigException error(String path, String what) {
            return new ConfigException(line(path), at(path) + ": " + what);
        }

        /** The line of the key, else of the table it is missing from; 0 for a key missing from the top level. */
        private int line(String path) {
            return TomlKeyLines.lineOf(lines, path);
        }

        /** The message prefix naming the file, the line where known, and the key path. */
        private String at(String path) {
            int line = line(path);
            return source + (line > 0 ? ":" + line : "") + ": " + path;
        }

        private String join(String prefix, String key) {
            return prefix.isEmpty() ? key : prefix + "." + key;
        }
    }
}
