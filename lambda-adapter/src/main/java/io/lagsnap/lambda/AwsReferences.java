package io.lagsnap.lambda;

import io.lagsnap.core.invocation.ConfigSource;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * {@code ${aws-secret:NAME}} (a Secrets Manager secret's string, by name or ARN) and {@code ${ssm:NAME}} (an SSM
 * parameter, SecureString decrypted) in the config, read at run time with the function's own role, so no secret
 * passes through Terraform state or the function's environment. Each distinct reference is read once per
 * invocation, and kept for {@link #CACHE_FOR} across warm invocations (a rotated secret is picked up after that).
 * Every value is handed to the run's scrubber, so it never reaches a log, report or sink. The clients use the
 * SDK's default chains (credentials, region, and the standard {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} /
 * {@code AWS_ENDPOINT_URL_SSM} endpoint variables, e.g. for a VPC endpoint).
 */
final class AwsReferences implements ConfigSource.References {
    static final Duration CACHE_FOR = Duration.ofMinutes(5);
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(aws-secret|ssm):([^}]+)}");

    private record Cached(String value, long readAtNanos) {
    }

    /** Kept by the handler instance, which Lambda reuses across warm invocations. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Override
    public Resolved resolve(String text, Deadline deadline) {
        Matcher m = REFERENCE.matcher(text);
        Map<String, String> variables = new LinkedHashMap<>();
        Map<String, String> byReference = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String reference = m.group();
            String variable = byReference.computeIfAbsent(reference, r -> {
                String name = "LAGSNAP_AWS_REF_" + byReference.size();
                variables.put(name, value(m.group(1), m.group(2), deadline));
                return name;
            });
            m.appendReplacement(out, Matcher.quoteReplacement("${" + variable + "}"));
        }
        m.appendTail(out);
        return new Resolved(out.toString(), variables);
    }

    private String value(String store, String name, Deadline deadline) {
        String key = store + ":" + name;
        Cached cached = cache.get(key);
        if (cached != null && System.nanoTime() - cached.readAtNanos() < CACHE_FOR.toNanos()) {
            return cached.value();
        }
        Duration timeout = deadline.remaining();
        if (timeout.isZero()) {
            throw new ConfigException("${" + key + "}: no time left to read it");
        }
        String value;
        try {
            value = store.equals("ssm") ? parameter(name, timeout) : secret(name, timeout);
        } catch (SdkException e) {
            // the SDK's message names the secret and the failure (AccessDenied, ResourceNotFound), never a value
            throw new ConfigException("${" + key + "}: cannot read it: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new ConfigException("${" + key + "}: the secret has no string value (binary secrets are not read)");
        }
        cache.put(key, new Cached(value, System.nanoTime()));
        return value;
    }

    private String secret(String name, Duration timeout) {
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(timeout))
                .build()) {
            return client.getSecretValue(r -> r.secretId(name)).secretString();
        }
    }

    private String parameter(String name, Duration timeout) {
        try (SsmClient client = SsmClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(timeout))
                .build()) {
            return client.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
        }
    }
}
