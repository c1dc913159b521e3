package io.lagsnap.sink.pushgateway;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.LabelNames;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.config.Urls;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * {@code type = "pushgateway"}: {@code url} (required), {@code job} ("lagsnap"), {@code grouping_key} (a table of
 * extra labels), {@code username} + {@code password_env} or {@code bearer_token_env} (names of environment
 * variables holding the secret), {@code timeout} per attempt ("10s") and {@code retries} (2).
 */
public final class PushgatewaySinkProvider implements SinkProvider {
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
            config.problem("job", "must not be empty");
        }
        Map<String, String> groupingKey = config.stringMap("grouping_key");
        // the Pushgateway lets a grouping-key label overwrite a pushed label of that name: refuse any, at load time
        groupingKey.keySet().forEach(name -> config.read("grouping_key", () -> {
            LabelNames.check(config.at("grouping_key." + name), name, Set.of("job"));
            return name;
        }, name));
        Duration timeout = config.duration("timeout", Duration.ofSeconds(10));
        int retries = config.integer("retries", 2, 0);
        return new PushgatewaySink(new PushTarget(url, job, groupingKey, auth(config, context)), context.shard(),
                timeout, retries, context.meter());
    }

    private static URI url(SinkConfig config) {
        String text = config.requiredString("url");
        URI url = Urls.parse(config.at("url"), text);
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new ConfigException(config.at("url") + ": expected http://HOST:PORT or https://HOST:PORT, got \""
                    + Urls.shown(text) + "\"");
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
            String password = fromEnv(config, context, "password_env");
            // what the gateway sees, and may echo back in an error body
            context.secrets().accept(Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8)));
            return PushAuth.basic(username, password);
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
