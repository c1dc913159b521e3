package io.lagsnap.core.config;

import io.lagsnap.sink.api.config.SinkConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The secret values of a run, so that no log line, run report or sink payload carries them. Every value is
 * registered when it is resolved: the config's secret keys here ({@link #of}), values sinks read from the
 * environment through {@code SinkContext.secretEnv}, and derived forms (a Basic credential's base64) through
 * {@link #register}. Each registration also goes to the process-wide scrubber ({@link #scrubLog}) that every log
 * line passes through (see {@link LogScrubbing}).
 *
 * <p>What is secret: a Kafka client property of ConfigDef type PASSWORD (as the consumer and admin clients define
 * them) or holding key material ({@value #KEY_MATERIAL_DOC}); any key whose name says so (password, secret, token,
 * credential, api key, authorization, private key); every value of a {@code headers} table; inside a JAAS string,
 * the quoted values of secret-named options only (a {@code username} stays readable).
 */
public final class Secrets {
    static final String KEY_MATERIAL_DOC = "ssl.keystore.key, ssl.truststore.certificates, "
            + "ssl.keystore.certificate.chain, sasl.jaas.config";
    private static final Set<String> KEY_MATERIAL = Set.of("ssl.keystore.key", "ssl.truststore.certificates",
            "ssl.keystore.certificate.chain", "sasl.jaas.config");
    /** Kafka's own knowledge: the client properties it types as PASSWORD. */
    private static final Set<String> KAFKA_PASSWORDS = kafkaPasswords();
    private static final Pattern SECRET_KEY =
            Pattern.compile("password|secret|token|jaas|credential|api[._-]?key|authorization|private[._-]?key");
    /**
     * A JAAS option: {@code name="value"}; only secret-named options are secret. The value may hold {@code \\"} and
     * {@code \\\\} escapes, as the librdkafka translation writes credentials.
     */
    private static final Pattern JAAS_OPTION = Pattern.compile("([A-Za-z0-9_.-]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern JAAS_ESCAPE = Pattern.compile("\\\\(.)");
    private static final String MASK = "[redacted]";
    /** Shorter values are not scrubbed: they would mask ordinary words. */
    private static final int MIN_SCRUBBED = 3;
    /** Shorter secrets get a load-time warning. */
    static final int MIN_SAFE = 4;
    private static final Comparator<String> LONGEST_FIRST = Comparator.comparingInt(String::length).reversed();
    private static final Secrets PROCESS = new Secrets(List.of());

    /** Longest first, so a secret containing another is masked whole. */
    private volatile List<String> values;

    private Secrets(List<String> values) {
        this.values = List.copyOf(values);
    }

    private static Set<String> kafkaPasswords() {
        Set<String> out = new TreeSet<>();
        for (ConfigDef def : List.of(ConsumerConfig.configDef(), AdminClientConfig.configDef())) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    out.add(name);
                }
            });
        }
        return out;
    }

    /** A key whose value is secret: by name, or a Kafka client property that is a password or key material. */
    public static boolean isSecretKey(String key) {
        return KAFKA_PASSWORDS.contains(key) || KEY_MATERIAL.contains(key)
                || SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).find();
    }

    /** The config's secrets, also registered with the process-wide scrubber. */
    public static Secrets of(LagsnapConfig config) {
        Secrets secrets = new Secrets(List.of());
        found(config).forEach(secrets::register);
        return secrets;
    }

    /** Secret values shorter than {@value #MIN_SAFE} characters, as key paths: loading warns about them. */
    static List<String> tooShort(LagsnapConfig config) {
        List<String> out = new ArrayList<>();
        for (ClusterConfig c : config.clusters()) {
            collect(c.consumerProperties(), false, "clusters." + c.name() + ".consumer_properties", out, true);
        }
        for (SinkConfig s : config.sinks()) {
            collect(s.options(), false, "sinks." + s.name(), out, true);
        }
        return out;
    }

    private static List<String> found(LagsnapConfig config) {
        List<String> out = new ArrayList<>();
        for (ClusterConfig c : config.clusters()) {
            collect(c.consumerProperties(), false, "", out, false);
        }
        for (SinkConfig s : config.sinks()) {
            collect(s.options(), false, "", out, false);
        }
        return out;
    }

    /**
     * Walks a table: with {@code paths}, collects the paths of too-short secrets, else the secret values (a JAAS
     * string's secret options, the credential of "Bearer x" as well as the whole value).
     */
    private static void collect(Map<?, ?> map, boolean secretTable, String at, List<String> out, boolean paths) {
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            boolean secret = secretTable || isSecretKey(key);
            boolean headers = key.equalsIgnoreCase("headers");
            if (v instanceof Map<?, ?> m) {
                collect(m, secret || headers, at + "." + key, out, paths);
            } else if (secret && v != null) {
                List<String> values = new ArrayList<>();
                String s = String.valueOf(v);
                Matcher m = JAAS_OPTION.matcher(s);
                boolean jaas = false;
                while (m.find()) {
                    jaas = true;
                    if (SECRET_KEY.matcher(m.group(1).toLowerCase(Locale.ROOT)).find()) {
                        // as written in the JAAS string, and as the password itself, which a server may echo
                        values.add(m.group(2));
                        values.add(JAAS_ESCAPE.matcher(m.group(2)).replaceAll("$1"));
                    }
                }
                if (!jaas) {
                    values.add(s);
                    int space = s.indexOf(' ');
                    if (space > 0 && !s.contains("-----BEGIN")) {
                        values.add(s.substring(space + 1).trim());
                    }
                } else {
                    values.add(s);
                }
                for (String value : values) {
                    if (paths && !value.isEmpty() && value.length() < MIN_SAFE) {
                        out.add(at + "." + key);
                    } else if (!paths) {
                        out.add(value);
                    }
                }
            }
        });
    }

    /** Adds a secret resolved outside the config (a token read from the environment by a sink). Thread-safe. */
    public void register(String secret) {
        add(secret);
        PROCESS.add(secret);
    }

    /** The base64 form a server sees (and may echo) of Basic credentials. */
    public static String basicCredential(String username, String password) {
        return Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void add(String secret) {
        if (secret == null || secret.length() < MIN_SCRUBBED || values.contains(secret)) {
            return;
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.add(secret);
        sorted.sort(LONGEST_FIRST);
        values = List.copyOf(sorted);
    }

    /** The text with every secret value replaced; null stays null. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : values) {
            out = out.replace(v, MASK);
        }
        return out;
    }

    /** The text with every secret any run of this process registered replaced: for log lines. */
    public static String scrubLog(String text) {
        return PROCESS.scrub(text);
    }

    /** Client properties safe to log: secret keys keep their name, lose their value. */
    public static Map<String, String> redacted(Map<String, String> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> out.put(k, isSecretKey(k) ? MASK : v));
        return out;
    }
}
