package io.lagsnap.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.Urls;
import io.lagsnap.sink.api.model.Shard;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How a serverless adapter (Lambda, Cloud Function) is configured, the same way in each: the config from exactly one
 * of {@value #TEXT} (the TOML itself), {@value #FILE} (a path) or {@value #URL} (an object in the cloud's store,
 * read by the adapter's {@link UrlReader}); the trigger's optional overrides; and {@value #FAIL_ON}, which run
 * outcomes the adapter reports as a failure.
 */
public final class ConfigSource {
    public static final String TEXT = "LAGSNAP_CONFIG";
    public static final String FILE = "LAGSNAP_CONFIG_FILE";
    public static final String URL = "LAGSNAP_CONFIG_URL";
    public static final String FAIL_ON = "LAGSNAP_FAIL_ON";

    /** Reads the config text behind a URL of the adapter's scheme; each cloud brings its own SDK. */
    @FunctionalInterface
    public interface UrlReader {
        String read(URI url) throws Exception;
    }

    private final UnaryOperator<String> env;
    private final String urlScheme;
    private final UrlReader urlReader;

    /**
     * @param env       environment lookup (null when unset); also resolves {@code ${VAR}} references in the config
     * @param urlScheme the one scheme {@value #URL} may use here, e.g. "s3" or "gs"
     */
    public ConfigSource(UnaryOperator<String> env, String urlScheme, UrlReader urlReader) {
        this.env = env;
        this.urlScheme = urlScheme;
        this.urlReader = urlReader;
    }

    /** Loads the config from whichever variable is set; fails naming the variables when none or several are. */
    public LagsnapConfig load() {
        String text = value(TEXT);
        String file = value(FILE);
        String url = value(URL);
        List<String> set = new ArrayList<>();
        if (text != null) {
            set.add(TEXT);
        }
        if (file != null) {
            set.add(FILE);
        }
        if (url != null) {
            set.add(URL);
        }
        if (set.size() != 1) {
            throw new ConfigException((set.isEmpty() ? "no config: set one of " : "set only one of ")
                    + String.join(", ", set.isEmpty() ? List.of(TEXT, FILE, URL) : set)
                    + " (" + TEXT + " = the TOML, " + FILE + " = a path, " + URL + " = " + urlScheme
                    + "://bucket/key)");
        }
        ConfigLoader loader = new ConfigLoader(env);
        if (text != null) {
            return loader.parse(text, TEXT);
        }
        if (file != null) {
            return loader.load(Path.of(file));
        }
        return loader.parse(read(url), url);
    }

    private String read(String url) {
        URI uri = Urls.parse(URL, url);
        if (!urlScheme.equals(uri.getScheme()) || uri.getHost() == null || uri.getPath().length() < 2) {
            throw new ConfigException(URL + "=" + Urls.shown(url) + ": expected " + urlScheme + "://bucket/key");
        }
        try {
            return urlReader.read(uri);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(Urls.shown(url) + ": cannot read config: " + e.getMessage(), e);
        }
    }

    /** {@value #FAIL_ON}: "any" (default), "nothing_delivered" or "never". */
    public FailOn failOn() {
        String v = value(FAIL_ON);
        if (v == null) {
            return FailOn.ANY;
        }
        try {
            return FailOn.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FAIL_ON + "=" + v + ": expected any, nothing_delivered or never");
        }
    }

    /** Unset and blank are the same: deploy tools often pass empty strings for variables they do not use. */
    private String value(String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** Which run outcomes an adapter turns into a failed invocation (a thrown error, a 5xx). */
    public enum FailOn {
        /** Exit code 1 (some cluster or sink failed, or a result was partial) or 3 (nothing delivered). */
        ANY,
        /** Only exit code 3: no sink delivered anything. */
        NOTHING_DELIVERED,
        /** Never: the report alone tells; only config errors fail. */
        NEVER;

        public boolean fails(int exitCode) {
            return switch (this) {
                case ANY -> exitCode != 0;
                case NOTHING_DELIVERED -> exitCode == 3;
                case NEVER -> false;
            };
        }

        /** What an adapter fails with: the run, its exit code and this policy (the report follows it). */
        public String failure(String runId, int exitCode) {
            return "lagsnap run " + runId + " ended with exit code " + exitCode + " (" + FAIL_ON + "="
                    + name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    /**
     * The overrides a trigger may carry, as a JSON object (an EventBridge input, a Pub/Sub message, an HTTP body):
     * {@code "clusters": ["a", "b"]} keeps only those clusters, {@code "shard": "0/4"} collects one shard. Every
     * other key is ignored, so any event (e.g. a scheduled event) is accepted as it is.
     */
    public record Overrides(List<String> clusters, Shard shard) {
        public static final Overrides NONE = new Overrides(List.of(), Shard.ALL);
        private static final ObjectMapper JSON = new ObjectMapper();

        public Overrides {
            clusters = List.copyOf(clusters);
        }

        /**
         * @param json   the trigger's payload; empty, or JSON that is not an object, carries no overrides
         * @param source names the payload in messages, e.g. "event" or "Pub/Sub message data"
         */
        public static Overrides fromJson(String json, String source) {
            if (json == null || json.isBlank()) {
                return NONE;
            }
            Object input;
            try {
                input = JSON.readValue(json, Object.class);
            } catch (JsonProcessingException e) {
                throw new ConfigException(source + ": not JSON: " + e.getOriginalMessage());
            }
            if (!(input instanceof Map<?, ?> map)) {
                return NONE;
            }
            List<String> clusters = new ArrayList<>();
            Object c = map.get("clusters");
            if (c instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
                list.forEach(n -> clusters.add((String) n));
            } else if (c != null) {
                throw new ConfigException(source + ".clusters: expected a list of cluster names, got " + c);
            }
            Object s = map.get("shard");
            Shard shard = Shard.ALL;
            if (s instanceof String text) {
                try {
                    shard = Shard.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(source + ".shard: " + e.getMessage());
                }
            } else if (s != null) {
                throw new ConfigException(source + ".shard: expected \"INDEX/COUNT\", e.g. \"0/4\", got " + s);
            }
            return new Overrides(clusters, shard);
        }

        /** The config with only the requested clusters; an unknown name is a config error. */
        public LagsnapConfig applyTo(LagsnapConfig config) {
            return config.onlyClusters(clusters);
        }
    }
}
