package io.lagsnap.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.ConfigTable;
import io.lagsnap.sink.api.config.Durations;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
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
    /** ${VAR}, ${VAR:-default}, ${?VAR}; names may hold dots, as klag-exporter's (and Kubernetes') may. */
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{(\\??)([A-Za-z_][A-Za-z0-9_.]*)(?::-([^}]*))?}");
    /** A Lambda secret-store reference, which only the Lambda handler resolves (it rewrites it before loading). */
    private static final Pattern PLATFORM_REF = Pattern.compile("\\$\\{(aws-secret|ssm):[^}]+}");
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

    /*
     * Every other key is declared by the getter that reads it (ConfigTable.requireOnlyReadKeys); klag-exporter's
     * server settings below are accepted with a warning, so its config.toml loads unchanged.
     */
    private static final Set<String> EXPORTER_SERVER_KEYS = Set.of("poll_interval", "http_port", "http_host",
            "leadership", "otel", "staleness_threshold");
    /**
     * klag-exporter caches timestamps, fetches per partition, or (its "rate" mode, the default of its newer
     * releases) estimates time lag from watermark history; lagsnap reads each record fresh, with one consumer.
     */
    private static final Set<String> SAMPLING_SERVER_KEYS = Set.of("cache_ttl", "max_concurrent_fetches",
            "rate_history_samples", "rate_history_max_age", "rate_min_msgs_per_sec");
    /**
     * klag-exporter tunes its per-group fan-out, retries, thread pool, caches across cycles and client recycling;
     * lagsnap batches each call, and a one-shot run has no cache or client to keep.
     */
    private static final Set<String> PERFORMANCE_SERVER_KEYS = Set.of("max_concurrent_groups",
            "max_concurrent_watermarks", "group_fetch_retries", "client_recycle_interval", "max_blocking_threads",
            "compacted_topics_cache_ttl", "metadata_cache_ttl", "consumer_groups_cache_ttl");

    /** What {@code [clusters.aws_msk_iam]} stands for: examples/msk-iam.toml's properties. */
    private static final Map<String, String> MSK_IAM = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "AWS_MSK_IAM",
            "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;",
            "sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler");

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
     * One pass over one document. It collects every problem rather than stopping at the first: the document is
     * turned into plain values (a failed {@code ${VAR}} substitution recorded at its key), then every table is read
     * through the typed getters the sinks use ({@link ConfigTable}), which record a bad value and read its default
     * in its place. Each getter declares its key, so a table's unknown keys are the ones no getter read.
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
            ConfigTable file = new ConfigTable(source, "", 0, key -> lines.getOrDefault(key, 0), table(root, ""));
            ExporterConfig exporter = exporter(file.table("exporter"));
            RunConfig run = run(file.table("run"));
            List<ClusterConfig> clusters = clusters(file);
            List<SinkConfig> sinks = sinks(file);
            file.requireOnlyReadKeys(Set.of());
            problems.addAll(file.problems());
            return new LagsnapConfig(source, exporter, run, clusters, sinks, warnings);
        }

        private ExporterConfig exporter(ConfigTable t) {
            if (t == null) {
                return ExporterConfig.DEFAULTS;
            }
            warnOfServerKeys(t, EXPORTER_SERVER_KEYS);
            String g = t.string("granularity", "topic");
            Granularity granularity = switch (g) {
                case "topic" -> Granularity.TOPIC;
                case "partition" -> Granularity.PARTITION;
                default -> {
                    t.problem("granularity", "must be \"topic\" or \"partition\", got \"" + g + "\"");
                    yield Granularity.TOPIC;
                }
            };
            var ts = ExporterConfig.TimestampSampling.DEFAULTS;
            ConfigTable s = t.table("timestamp_sampling");
            if (s != null) {
                warnOfServerKeys(s, SAMPLING_SERVER_KEYS);
                if (s.choice("mode", null, Set.of("rate", "message")) != null) {
                    warnings.add(source + ": " + s.path("mode") + " is ignored: lagsnap always reads the record at "
                            + "the committed offset (klag-exporter's \"message\" mode)");
                }
                ts = new ExporterConfig.TimestampSampling(
                        s.bool("enabled", ts.enabled()),
                        s.duration("fetch_timeout", ts.fetchTimeout(), TIMEOUT_MIN, TIMEOUT_MAX),
                        s.integer("max_partitions_per_wave", ts.maxPartitionsPerWave(), 1, MAX_PARTITIONS_PER_WAVE),
                        s.bool("skip_data_loss_partitions", ts.skipDataLossPartitions()));
                s.requireOnlyReadKeys(SAMPLING_SERVER_KEYS);
            }
            var perf = ExporterConfig.Performance.DEFAULTS;
            ConfigTable p = t.table("performance");
            if (p != null) {
                warnOfServerKeys(p, PERFORMANCE_SERVER_KEYS);
                perf = new ExporterConfig.Performance(
                        p.duration("kafka_timeout", perf.kafkaTimeout(), TIMEOUT_MIN, TIMEOUT_MAX),
                        p.duration("offset_fetch_timeout", perf.offsetFetchTimeout(), TIMEOUT_MIN, TIMEOUT_MAX),
                        p.duration("connect_timeout", perf.connectTimeout(), TIMEOUT_MIN, TIMEOUT_MAX));
                p.requireOnlyReadKeys(PERFORMANCE_SERVER_KEYS);
            }
            String i = t.string("lag_isolation", "auto");
            ExporterConfig.LagIsolation isolation = switch (i) {
                case "auto" -> ExporterConfig.LagIsolation.AUTO;
                case "read_uncommitted" -> ExporterConfig.LagIsolation.READ_UNCOMMITTED;
                case "read_committed" -> ExporterConfig.LagIsolation.READ_COMMITTED;
                default -> {
                    t.problem("lag_isolation", "must be \"read_uncommitted\", \"read_committed\" or \"auto\", got \""
                            + i + "\"");
                    yield ExporterConfig.LagIsolation.AUTO;
                }
            };
            t.requireOnlyReadKeys(EXPORTER_SERVER_KEYS);
            return new ExporterConfig(granularity, isolation, ts, perf);
        }

        private RunConfig run(ConfigTable t) {
            if (t == null) {
                return RunConfig.DEFAULTS;
            }
            RunConfig run = new RunConfig(t.duration("deadline", RunConfig.DEFAULTS.deadline(), RUN_DEADLINE_MIN,
                    Durations.MAX), t.read("state", () -> state(t), null));
            t.requireOnlyReadKeys(Set.of());
            return run;
        }

        /** "none", a directory as a file: URL, or a bucket and prefix as an s3:// or gs:// URL. */
        private URI state(ConfigTable run) {
            String text = run.string("state", null);
            if (text == null) {
                return null;
            }
            if ("none".equals(text)) {
                return RunConfig.NO_STATE;
            }
            URI uri = Urls.parse(run.at("state"), text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            switch (scheme) {
                case "file" -> {
                    if (uri.getPath() == null || uri.getPath().isEmpty()) {
                        throw error(run.path("state"), "\"" + Urls.shown(text)
                                + "\" must be a directory as a file:// URL, e.g. \"file:///var/lib/lagsnap\"");
                    }
                }
                case "s3", "gs" -> {
                    if (uri.getAuthority() == null) {
                        throw error(run.path("state"), "\"" + Urls.shown(text) + "\" needs a bucket, e.g. \""
                                + scheme + "://my-bucket/lagsnap\"");
                    }
                }
                default -> throw error(run.path("state"), "\"" + Urls.shown(text) + "\" has "
                        + (scheme.isEmpty() ? "no scheme" : "an unknown scheme \"" + scheme + "\"")
                        + ": use file://, s3:// or gs://, or \"none\" for no trends");
            }
            return uri;
        }

        private List<ClusterConfig> clusters(ConfigTable file) {
            List<ConfigTable> entries = file.tables("clusters");
            Object declared = file.options().get("clusters");
            if (declared == null || declared instanceof List<?> l && l.isEmpty()) {
                file.problem("clusters", "at least one [[clusters]] entry is required");
            }
            List<ClusterConfig> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (ConfigTable c : entries) {
                String name = c.string("name", null);
                boolean named = name != null && !name.isBlank();
                if (!named) {
                    c.problem("name", "required and must not be empty");
                } else if (!names.add(name)) {
                    c.problem("name", "duplicate cluster name \"" + name + "\"");
                }
                String bootstrap = c.string("bootstrap_servers", "");
                checkBootstrap(c, bootstrap);
                Map<String, String> labels = c.textMap("labels");
                labels.keySet().forEach(l -> c.read("labels." + l, () -> {
                    LabelNames.check(c.at("labels." + l), l, TARGET_LABELS);
                    return l;
                }, l));
                ClusterConfig cluster = new ClusterConfig(name, bootstrap,
                        patterns(c, "group_whitelist", List.of(".*")),
                        patterns(c, "group_blacklist", List.of()),
                        patterns(c, "topic_whitelist", List.of(".*")),
                        // klag-exporter's default: its regexes search, so this skips "orders__dlq" too
                        patterns(c, "topic_blacklist", List.of("__.*")),
                        withMskIam(c, c.read("consumer_properties", () -> LibrdkafkaProperties.toJava(source,
                                c.path("consumer_properties"), c.textMap("consumer_properties"),
                                k -> c.line("consumer_properties." + k)), Map.of())),
                        labels);
                c.requireOnlyReadKeys(Set.of());
                if (named) {
                    out.add(cluster);
                }
            }
            return out;
        }

        private List<SinkConfig> sinks(ConfigTable file) {
            List<SinkConfig> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (ConfigTable s : file.tables("sinks")) {
                String type = s.string("type", null);
                if (type == null || type.isBlank()) {
                    s.problem("type", "required (the sink type, e.g. \"file\" or \"pushgateway\")");
                    continue;
                }
                String name = s.string("name", type);
                if (!names.add(name)) {
                    s.problem("name", "two sinks are named \"" + name
                            + "\": give each sink of the same type a distinct name");
                    continue;
                }
                // the provider declares and checks the other keys
                Map<String, Object> options = new LinkedHashMap<>(s.options());
                options.keySet().removeAll(Set.of("type", "name"));
                options.values().removeIf(Objects::isNull);
                out.add(new SinkConfig(type, name, source, s.path(), s.line(),
                        key -> lines.getOrDefault(s.path(key), 0), options));
            }
            return out;
        }

        /**
         * klag-exporter's {@code [clusters.aws_msk_iam]} block (its presence turns MSK IAM on) as the Java client's
         * MSK IAM settings. Its {@code region} is accepted and not passed on: aws-msk-iam-auth signs for the region
         * in the broker's host name.
         */
        private static Map<String, String> withMskIam(ConfigTable c, Map<String, String> properties) {
            ConfigTable iam = c.table("aws_msk_iam");
            if (iam == null) {
                return properties;
            }
            iam.string("region", null);
            iam.requireOnlyReadKeys(Set.of());
            Map<String, String> out = new LinkedHashMap<>(properties);
            new TreeMap<>(MSK_IAM).forEach((k, v) -> {
                String set = out.putIfAbsent(k, v);
                if (set != null && !set.equals(v)) {
                    // the value is not shown: sasl.jaas.config may hold a secret
                    c.problem("aws_msk_iam", "turns on MSK IAM, but consumer_properties sets \"" + k
                            + "\" otherwise; keep one of them");
                }
            });
            return out;
        }

        /** klag-exporter's server keys: a warning each, not an error. */
        private void warnOfServerKeys(ConfigTable t, Set<String> serverKeys) {
            t.options().keySet().stream().filter(serverKeys::contains).forEach(k -> warnings.add(source + ": "
                    + t.path(k) + " is a klag-exporter server setting; a one-shot lagsnap run ignores it"));
        }

        private List<Pattern> patterns(ConfigTable c, String key, List<String> fallback) {
            List<String> texts = c.has(key) ? c.stringList(key) : fallback;
            List<Pattern> out = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                try {
                    out.add(Pattern.compile(texts.get(i)));
                } catch (PatternSyntaxException e) {
                    c.problem(key + "[" + i + "]", "bad regex \"" + texts.get(i) + "\": "
                            + e.getDescription() + " near index " + e.getIndex());
                }
            }
            return out;
        }

        private void checkBootstrap(ConfigTable c, String bootstrap) {
            if (bootstrap.isBlank()) {
                c.problem("bootstrap_servers", "empty bootstrap list (expected host:port[,host:port...])");
                return;
            }
            for (String server : bootstrap.split(",")) {
                String s = server.trim();
                int colon = s.lastIndexOf(':');
                if (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}")) {
                    c.problem("bootstrap_servers", "\"" + s + "\" is not host:port");
                    return;
                }
            }
        }

        // ---- plain values with env substitution ----

        /** A TOML table as plain values; a value whose substitution failed is recorded and left null. */
        private Map<String, Object> table(JsonNode node, String path) {
            Map<String, Object> m = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue(), join(path, e.getKey()))));
            return m;
        }

        private Object plain(JsonNode v, String path) {
            if (v.isTextual()) {
                try {
                    return substitute(v.asText(), path);
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                    return null;
                }
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
                return table(v, path);
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
            Matcher platform = PLATFORM_REF.matcher(out);
            if (platform.find()) {
                // a warning, not an error: a Lambda config is validated with the CLI before it is deployed
                warnings.add(source + ": " + path + ": ${" + platform.group(1) + ":…} is read only by the Lambda "
                        + "handler; anywhere else the value is used as written (put it in an environment variable "
                        + "and write ${VAR})");
            }
            if (out.length() > MAX_VALUE_CHARS) {
                throw error(path, "value of " + out.length() + " characters is longer than the " + MAX_VALUE_CHARS
                        + " a config value may hold");
            }
            return out.toString();
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
