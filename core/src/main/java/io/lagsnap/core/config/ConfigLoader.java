package io.lagsnap.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.Durations;
import io.lagsnap.sink.api.config.KeyHints;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Granularity;
import java.io.IOException;
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
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Loads a lagsnap config.toml: a superset of klag-exporter's, so an existing file loads unchanged. Every error names
 * the source, the key path (and line and column where the TOML parser gives them) and what is wrong; nothing
 * connects anywhere before loading has succeeded.
 */
public final class ConfigLoader {
    private static final TomlMapper TOML = new TomlMapper();
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{(\\??)([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> RESERVED_LABELS = Set.of("cluster_name", "group", "topic", "partition",
            "member_host", "consumer_id", "client_id", "compaction_detected", "data_loss_detected", "job",
            "instance", "shard", "phase", "kind");

    private static final Set<String> ROOT_KEYS = Set.of("exporter", "clusters", "sinks", "run");
    private static final Set<String> EXPORTER_KEYS = Set.of("granularity", "lag_isolation", "timestamp_sampling",
            "performance");
    private static final Set<String> EXPORTER_SERVER_KEYS = Set.of("poll_interval", "http_port", "http_host",
            "leadership", "otel");
    private static final Set<String> SAMPLING_KEYS = Set.of("enabled", "fetch_timeout", "max_partitions_per_wave",
            "skip_data_loss_partitions");
    /** klag-exporter caches timestamps and fetches per partition; lagsnap samples fresh, with one consumer. */
    private static final Set<String> SAMPLING_SERVER_KEYS = Set.of("cache_ttl", "max_concurrent_fetches");
    private static final Set<String> PERFORMANCE_KEYS = Set.of("kafka_timeout", "offset_fetch_timeout");
    /** klag-exporter tunes its per-group and per-partition fan-out; lagsnap batches, so these have no effect. */
    private static final Set<String> PERFORMANCE_FANOUT_KEYS = Set.of("max_concurrent_groups",
            "max_concurrent_watermarks");
    private static final Set<String> CLUSTER_KEYS = Set.of("name", "bootstrap_servers", "group_whitelist",
            "group_blacklist", "topic_whitelist", "topic_blacklist", "consumer_properties", "labels");
    private static final Set<String> RUN_KEYS = Set.of("deadline");

    private final UnaryOperator<String> env;

    /** @param env looks up environment variables (null when unset); tests pass a map's get. */
    public ConfigLoader(UnaryOperator<String> env) {
        this.env = env;
    }

    public static ConfigLoader withSystemEnv() {
        return new ConfigLoader(System::getenv);
    }

    public LagsnapConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config file: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** @param source names the text's origin in messages: a path, "LAGSNAP_CONFIG", a URL. */
    public LagsnapConfig parse(String text, String source) {
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
        return new Reader(source).read((ObjectNode) root);
    }

    /** One pass over one document; collects warnings as it goes. */
    private final class Reader {
        private final String source;
        private final List<String> warnings = new ArrayList<>();

        Reader(String source) {
            this.source = source;
        }

        LagsnapConfig read(ObjectNode root) {
            checkKeys(root, "", ROOT_KEYS, Set.of());
            ExporterConfig exporter = exporter(table(root, "exporter"));
            RunConfig run = run(table(root, "run"));
            List<ClusterConfig> clusters = clusters(root.get("clusters"));
            List<SinkConfig> sinks = sinks(root.get("sinks"));
            return new LagsnapConfig(source, exporter, run, clusters, sinks, warnings);
        }

        private ExporterConfig exporter(ObjectNode node) {
            if (node == null) {
                return ExporterConfig.DEFAULTS;
            }
            checkKeys(node, "exporter", EXPORTER_KEYS, EXPORTER_SERVER_KEYS);
            Granularity granularity = switch (string(node, "exporter", "granularity", "topic")) {
                case "topic" -> Granularity.TOPIC;
                case "partition" -> Granularity.PARTITION;
                default -> throw error("exporter.granularity", "must be \"topic\" or \"partition\", got \""
                        + node.get("granularity").asText() + "\"");
            };
            var ts = ExporterConfig.TimestampSampling.DEFAULTS;
            ObjectNode s = table(node, "timestamp_sampling");
            if (s != null) {
                String p = "exporter.timestamp_sampling";
                checkKeys(s, p, SAMPLING_KEYS, SAMPLING_SERVER_KEYS);
                ts = new ExporterConfig.TimestampSampling(
                        bool(s, p, "enabled", ts.enabled()),
                        duration(s, p, "fetch_timeout", ts.fetchTimeout()),
                        integer(s, p, "max_partitions_per_wave", ts.maxPartitionsPerWave()),
                        bool(s, p, "skip_data_loss_partitions", ts.skipDataLossPartitions()));
            }
            var perf = ExporterConfig.Performance.DEFAULTS;
            ObjectNode pn = table(node, "performance");
            if (pn != null) {
                String p = "exporter.performance";
                checkKeys(pn, p, PERFORMANCE_KEYS, PERFORMANCE_FANOUT_KEYS);
                perf = new ExporterConfig.Performance(
                        duration(pn, p, "kafka_timeout", perf.kafkaTimeout()),
                        duration(pn, p, "offset_fetch_timeout", perf.offsetFetchTimeout()));
            }
            ExporterConfig.LagIsolation isolation = switch (string(node, "exporter", "lag_isolation", "auto")) {
                case "auto" -> ExporterConfig.LagIsolation.AUTO;
                case "read_uncommitted" -> ExporterConfig.LagIsolation.READ_UNCOMMITTED;
                case "read_committed" -> ExporterConfig.LagIsolation.READ_COMMITTED;
                default -> throw error("exporter.lag_isolation", "must be \"read_uncommitted\", \"read_committed\" "
                        + "or \"auto\", got \"" + node.get("lag_isolation").asText() + "\"");
            };
            return new ExporterConfig(granularity, isolation, ts, perf);
        }

        private RunConfig run(ObjectNode node) {
            if (node == null) {
                return RunConfig.DEFAULTS;
            }
            checkKeys(node, "run", RUN_KEYS, Set.of());
            return new RunConfig(duration(node, "run", "deadline", RunConfig.DEFAULTS.deadline()));
        }

        private List<ClusterConfig> clusters(JsonNode node) {
            if (node == null || !node.isArray() || node.isEmpty()) {
                throw error("clusters", node == null || node.isArray()
                        ? "at least one [[clusters]] entry is required"
                        : "must be an array of tables ([[clusters]])");
            }
            List<ClusterConfig> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String p = "clusters[" + i + "]";
                ObjectNode c = asTable(node.get(i), p);
                checkKeys(c, p, CLUSTER_KEYS, Set.of());
                String name = string(c, p, "name", null);
                if (name == null || name.isBlank()) {
                    throw error(p + ".name", "required and must not be empty");
                }
                if (!names.add(name)) {
                    throw error(p + ".name", "duplicate cluster name \"" + name + "\"");
                }
                String bootstrap = string(c, p, "bootstrap_servers", "");
                checkBootstrap(p + ".bootstrap_servers", bootstrap);
                Map<String, String> labels = stringTable(c, p, "labels");
                labels.keySet().forEach(l -> checkLabelName(p + ".labels." + l, l));
                out.add(new ClusterConfig(name, bootstrap,
                        patterns(c, p, "group_whitelist", List.of(".*")),
                        patterns(c, p, "group_blacklist", List.of()),
                        patterns(c, p, "topic_whitelist", List.of(".*")),
                        patterns(c, p, "topic_blacklist", List.of("^__.*")),
                        stringTable(c, p, "consumer_properties"),
                        labels));
            }
            return out;
        }

        private List<SinkConfig> sinks(JsonNode node) {
            if (node == null) {
                return List.of();
            }
            if (!node.isArray()) {
                throw error("sinks", "must be an array of tables ([[sinks]])");
            }
            List<SinkConfig> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String p = "sinks[" + i + "]";
                ObjectNode s = asTable(node.get(i), p);
                String type = string(s, p, "type", null);
                if (type == null || type.isBlank()) {
                    throw error(p + ".type", "required (the sink type, e.g. \"file\" or \"pushgateway\")");
                }
                String name = string(s, p, "name", type);
                if (!names.add(name)) {
                    throw error(p + ".name", "two sinks are named \"" + name
                            + "\": give each sink of the same type a distinct name");
                }
                Map<String, Object> options = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!e.getKey().equals("type") && !e.getKey().equals("name")) {
                        options.put(e.getKey(), plain(e.getValue(), p + "." + e.getKey()));
                    }
                }
                out.add(new SinkConfig(type, name, source + ": " + p, options));
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
                return v.longValue();
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
            return out.toString();
        }

        private String string(ObjectNode node, String prefix, String key, String fallback) {
            JsonNode v = node.get(key);
            if (v == null) {
                return fallback;
            }
            if (!v.isTextual()) {
                throw error(join(prefix, key), "expected a string, got " + v);
            }
            return substitute(v.asText(), join(prefix, key));
        }

        private boolean bool(ObjectNode node, String prefix, String key, boolean fallback) {
            JsonNode v = node.get(key);
            if (v == null) {
                return fallback;
            }
            if (v.isBoolean()) {
                return v.booleanValue();
            }
            String s = v.isTextual() ? substitute(v.asText(), join(prefix, key)) : v.toString();
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
            throw error(join(prefix, key), "expected true or false, got " + v);
        }

        private int integer(ObjectNode node, String prefix, String key, int fallback) {
            JsonNode v = node.get(key);
            if (v == null) {
                return fallback;
            }
            String s = v.isTextual() ? substitute(v.asText(), join(prefix, key)) : v.asText();
            if (!v.isIntegralNumber() && !s.matches("-?\\d+")) {
                throw error(join(prefix, key), "expected a whole number, got " + v);
            }
            long n = Long.parseLong(s);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw error(join(prefix, key), "must be a positive whole number, got " + n);
            }
            return (int) n;
        }

        private Duration duration(ObjectNode node, String prefix, String key, Duration fallback) {
            String s = string(node, prefix, key, null);
            return s == null ? fallback : Durations.parse(s, source + ": " + join(prefix, key));
        }

        private List<Pattern> patterns(ObjectNode node, String prefix, String key, List<String> fallback) {
            JsonNode v = node.get(key);
            List<String> texts = new ArrayList<>();
            if (v == null) {
                texts.addAll(fallback);
            } else if (!v.isArray()) {
                throw error(join(prefix, key), "expected a list of regular expressions, got " + v);
            } else {
                for (int i = 0; i < v.size(); i++) {
                    if (!v.get(i).isTextual()) {
                        throw error(join(prefix, key) + "[" + i + "]", "expected a string, got " + v.get(i));
                    }
                    texts.add(substitute(v.get(i).asText(), join(prefix, key) + "[" + i + "]"));
                }
            }
            List<Pattern> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                try {
                    out.add(Pattern.compile(texts.get(i)));
                } catch (PatternSyntaxException e) {
                    throw error(join(prefix, key) + "[" + i + "]", "bad regex \"" + texts.get(i) + "\": "
                            + e.getDescription() + " near index " + e.getIndex());
                }
            }
            return out;
        }

        /** Tables of strings; numbers and booleans are turned into their text, as Kafka client configs expect. */
        private Map<String, String> stringTable(ObjectNode node, String prefix, String key) {
            ObjectNode t = table(node, join(prefix, key), node.get(key));
            Map<String, String> out = new LinkedHashMap<>();
            if (t != null) {
                t.fields().forEachRemaining(e -> {
                    String path = join(prefix, key) + "." + e.getKey();
                    JsonNode v = e.getValue();
                    if (v.isContainerNode()) {
                        throw error(path, "expected a string value, got " + v);
                    }
                    out.put(e.getKey(), v.isTextual() ? substitute(v.asText(), path) : v.asText());
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

        private void checkLabelName(String path, String label) {
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                throw error(path, "\"" + label + "\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
            if (RESERVED_LABELS.contains(label)) {
                throw error(path, "\"" + label + "\" is a label lagsnap sets itself");
            }
        }

        private void checkKeys(ObjectNode node, String prefix, Set<String> known, Set<String> ignored) {
            node.fieldNames().forEachRemaining(k -> {
                if (ignored.contains(k)) {
                    warnings.add(source + ": " + join(prefix, k)
                            + " is a klag-exporter server setting; a one-shot lagsnap run ignores it");
                } else if (!known.contains(k)) {
                    Set<String> all = new java.util.TreeSet<>(known);
                    all.addAll(ignored);
                    throw new ConfigException(KeyHints.unknownKey(source + ": " + join(prefix, k), k, all));
                }
            });
        }

        private ObjectNode table(ObjectNode parent, String key) {
            return table(parent, key, parent.get(key));
        }

        private ObjectNode table(ObjectNode parent, String path, JsonNode v) {
            return v == null ? null : asTable(v, path);
        }

        private ObjectNode asTable(JsonNode v, String path) {
            if (!v.isObject()) {
                throw error(path, "expected a table, got " + v);
            }
            return (ObjectNode) v;
        }

        private ConfigException error(String path, String what) {
            return new ConfigException(source + ": " + path + ": " + what);
        }

        private String join(String prefix, String key) {
            return prefix.isEmpty() ? key : prefix + "." + key;
        }
    }
}
