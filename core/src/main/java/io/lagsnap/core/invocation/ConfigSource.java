package io.lagsnap.core.invocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.invocation.Invocation.LoadedConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.Urls;
import io.lagsnap.sink.api.model.Shard;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * How a serverless adapter (Lambda, Cloud Function) is configured, the same way in each: the config from exactly one
 * of {@value #TEXT} (the TOML itself), {@value #FILE} (a path) or {@value #URL} (an object in the cloud's store,
 * read by the adapter's {@link UrlReader}); the trigger's optional overrides; and {@value #FAIL_ON}, which run
 * outcomes the adapter reports as a failure. A store read is bounded by the invocation's deadline: a slow store
 * cannot push the invocation past the time the platform gives it.
 */
public final class ConfigSource implements Invocation.ConfigRead {
    public static final String TEXT = "LAGSNAP_CONFIG";
    public static final String FILE = "LAGSNAP_CONFIG_FILE";
    public static final String URL = "LAGSNAP_CONFIG_URL";
    public static final String FAIL_ON = "LAGSNAP_FAIL_ON";

    /** Reads the config text behind a URL of the adapter's scheme; each cloud brings its own SDK. */
    @FunctionalInterface
    public interface UrlReader {
        /** @param timeout the time left for the read; the SDK should give up by then (it is abandoned after) */
        String read(URI url, Duration timeout) throws Exception;
    }

    /**
     * Resolves references to a platform's secret store (e.g. {@code ${aws-secret:NAME}}) in the config text, by
     * rewriting each into a {@code ${VAR}} reference of its own, so the value is substituted after TOML parsing
     * (no quoting issue) and is known to the run's scrubber.
     */
    @FunctionalInterface
    public interface References {
        References NONE = (text, deadline) -> new Resolved(text, Map.of());

        Resolved resolve(String text, Deadline deadline);

        /** @param values the secret values, by the variable name the rewritten text refers to them with */
        record Resolved(String text, Map<String, String> values) {
            public Resolved {
                values = Map.copyOf(values);
            }
        }
    }

    private final UnaryOperator<String> env;
    private final String urlScheme;
    private final UrlReader urlReader;
    private final References references;

    /**
     * @param env       environment lookup (null when unset); also resolves {@code ${VAR}} references in the config
     * @param urlScheme the one scheme {@value #URL} may use here, e.g. "s3" or "gs"
     */
    public ConfigSource(UnaryOperator<String> env, String urlScheme, UrlReader urlReader) {
        this(env, urlScheme, urlReader, References.NONE);
    }

    public ConfigSource(UnaryOperator<String> env, String urlScheme, UrlReader urlReader, References references) {
        this.env = env;
        this.urlScheme = urlScheme;
        this.urlReader = urlReader;
        this.references = references;
    }

    /**
     * Loads the config from whichever variable is set; fails naming the variables when none or several are, and
     * when the store does not answer before {@code deadline}. Platform references in the text are resolved by the
     * adapter's {@link References} first.
     */
    public LoadedConfig load(Deadline deadline) {
        return load(deadline, config -> { });
    }

    /** As {@link #load(Deadline)}, reporting {@code check}'s problems with the loader's (see {@link Invocation.ConfigRead}). */
    @Override
    public LoadedConfig load(Deadline deadline, Consumer<LagsnapConfig> check) {
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
        String name = set.get(0).equals(TEXT) ? TEXT : file != null ? file : url;
        String raw = text != null ? text : file != null ? ConfigLoader.read(Path.of(file)) : read(url, deadline);
        References.Resolved resolved = references.resolve(raw, deadline);
        UnaryOperator<String> withResolved = v -> resolved.values().containsKey(v)
                ? resolved.values().get(v) : env.apply(v);
        return new LoadedConfig(new ConfigLoader(withResolved).parse(resolved.text(), name, check),
                List.copyOf(resolved.values().values()));
    }

    private String read(String url, Deadline deadline) {
        URI uri = Urls.parse(URL, url);
        if (!urlScheme.equals(uri.getScheme()) || uri.getHost() == null || uri.getPath().length() < 2) {
            throw new ConfigException(URL + "=" + Urls.shown(url) + ": expected " + urlScheme + "://bucket/key");
        }
        // a daemon thread, so a reader that ignores its timeout is abandoned rather than waited for
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lagsnap-config-read");
            t.setDaemon(true);
            return t;
        });
        try {
            Duration timeout = deadline.remaining();
            Future<String> text = reader.submit(() -> urlReader.read(uri, timeout));
            return text.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ConfigException(Urls.shown(url)
                    + ": cannot read config: no answer within the invocation's deadline ("
                    + deadline + ")");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(Urls.shown(url) + ": cannot read config: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(Urls.shown(url) + ": cannot read config: interrupted");
        } finally {
            reader.shutdownNow();
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
     * other key is ignored, so any event (e.g. a scheduled event) is accepted as it is. JSON that is not an object
     * is an input error: running everything instead would silently widen a sharded or per-cluster trigger.
     */
    public record Overrides(List<String> clusters, Shard shard) {
        public static final Overrides NONE = new Overrides(List.of(), Shard.ALL);
        private static final ObjectMapper JSON = new ObjectMapper();

        public Overrides {
            clusters = List.copyOf(clusters);
        }

        /**
         * @param json   the trigger's payload: empty (no overrides) or a JSON object
         * @param source names the payload in messages, e.g. "event" or "Pub/Sub message data"
         * @throws ConfigException when the payload is not JSON, not an object, or an override is malformed
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
                throw new ConfigException(source + ": expected a JSON object such as {\"shard\": \"0/4\"}, got "
                        + JSON.valueToTree(input).getNodeType().toString().toLowerCase(Locale.ROOT));
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
