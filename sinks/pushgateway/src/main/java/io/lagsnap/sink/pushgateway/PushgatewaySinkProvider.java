package io.lagsnap.sink.pushgateway;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code type = "pushgateway"}: {@code url} (required), {@code job} ("lagsnap"), {@code grouping_key} (a table of
 * extra labels), {@code username} + {@code password_env} or {@code bearer_token_env} (names of environment
 * variables holding the secret), {@code timeout} per attempt ("10s") and {@code retries} (2).
 */
public final class PushgatewaySinkProvider implements SinkProvider {
    /**
     * Labels every push sets itself, in the grouping key or (sink, sink_type) on the run's own metrics: the grouping
     * key may not redefine them.
     */
    static final Set<String> RESERVED_LABELS = Set.of("job", PushgatewaySink.CLUSTER_LABEL,
            PushgatewaySink.SHARD_LABEL, "sink", "sink_type");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> KEYS = Set.of("url", "job", "grouping_key", "username", "password_env",
            "bearer_token_env", "timeout", "retries");

    @Override
    public String type() {
        return "pushgateway";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(KEYS);
        URI url = url(config);
        String job = config.string("job", "lagsnap");
        if (job.isBlank()) {
            throw new ConfigException(config.at("job") + ": must not be empty");
        }
        Map<String, String> groupingKey = config.stringMap("grouping_key");
        groupingKey.keySet().forEach(name -> checkLabelName(config, name));
        Duration timeout = config.duration("timeout", Duration.ofSeconds(10));
        int retries = config.integer("retries", 2, 0);
        return new PushgatewaySink(new PushTarget(url, job, groupingKey, auth(config, context)), context.shard(),
                timeout, retries, context.meter());
    }

    private static URI url(SinkConfig config) {
        String text = config.requiredString("url");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(config.at("url") + ": not a URL: " + e.getMessage());
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new ConfigException(config.at("url") + ": expected http://HOST:PORT or https://HOST:PORT, got \""
                    + text + "\"");
        }
        if (url.getRawUserInfo() != null) {
            // the URL shows up in run reports; credentials belong in username/password_env
            throw new ConfigException(config.at("url") + ": must not contain credentials; use username and "
                    + "password_env");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new ConfigException(config.at("url") + ": must not have a query or fragment");
        }
        return url;
    }

    private static void checkLabelName(SinkConfig config, String name) {
        String at = config.at("grouping_key." + name);
        if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
            throw new ConfigException(at + ": \"" + name + "\" is not a valid Prometheus label name");
        }
        if (RESERVED_LABELS.contains(name)) {
            throw new ConfigException(at + ": \"" + name + "\" is set by the sink itself (reserved: "
                    + String.join(", ", RESERVED_LABELS.stream().sorted().toList()) + ")");
        }
    }

    private static PushAuth auth(SinkConfig config, SinkContext context) {
        boolean basic = config.has("username") || config.has("password_env");
        if (basic && config.has("bearer_token_env")) {
            throw new ConfigException(config.at("bearer_token_env")
                    + ": use either username/password_env or bearer_token_env, not both");
        }
        if (config.has("bearer_token_env")) {
            return PushAuth.bearer(fromEnv(config, context, "bearer_token_env"));
        }
        if (basic) {
            String username = config.requiredString("username");
            return PushAuth.basic(username, fromEnv(config, context, "password_env"));
        }
        return PushAuth.NONE;
    }

    /** The secret in the environment variable a key names; the message names the variable, never a value. */
    private static String fromEnv(SinkConfig config, SinkContext context, String key) {
        String variable = config.requiredString(key);
        String value = context.secretEnv(variable);
        if (value == null || value.isEmpty()) {
            throw new ConfigException(config.at(key) + ": environment variable " + variable + " is not set");
        }
        return value;
    }
}
