package io.lagsnap.core.config;

import io.lagsnap.sink.api.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the librdkafka property names that klag-exporter configs carry into the Java client's (the table is in
 * docs/first-run.md). Every translation logs the librdkafka key and the Java key, never the value. What is left must
 * be a Java client property: a librdkafka-only setting is a config error, never passed through to be ignored.
 */
public final class LibrdkafkaProperties {
    private static final Logger LOG = LoggerFactory.getLogger(LibrdkafkaProperties.class);

    /** Every property the Admin client or the consumer (timestamp sampling) understands. */
    private static final Set<String> JAVA_KEYS = javaKeys();

    private static final String JAAS = "sasl.jaas.config";
    private static final String MECHANISM = "sasl.mechanism";
    private static final String USERNAME = "sasl.username";
    private static final String PASSWORD = "sasl.password";
    private static final String CA = "ssl.ca.location";
    private static final String CERTIFICATE = "ssl.certificate.location";
    private static final String KEY = "ssl.key.location";
    private static final String KEY_PASSWORD = "ssl.key.password";
    private static final String OAUTH_METHOD = "sasl.oauthbearer.method";
    private static final String OAUTH_CLIENT_ID = "sasl.oauthbearer.client.id";
    private static final String OAUTH_CLIENT_SECRET = "sasl.oauthbearer.client.secret";
    private static final String OAUTH_SCOPE = "sasl.oauthbearer.scope";
    private static final String OAUTH_EXTENSIONS = "sasl.oauthbearer.extensions";
    private static final String OAUTH_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

    private LibrdkafkaProperties() {
    }

    /**
     * The consumer_properties table at {@code path} of the file {@code source} as Java client properties: the
     * translated ones first, then the rest as given. Each error names its key's line ({@code lineOf}; 0: unknown).
     */
    public static Map<String, String> toJava(String source, String path, Map<String, String> properties,
                                             ToIntFunction<String> lineOf) {
        return new Translation(source + ": " + path, properties, key -> {
            int line = lineOf.applyAsInt(key);
            return source + (line > 0 ? ":" + line : "") + ": " + path;
        }).run();
    }

    private static Set<String> javaKeys() {
        Set<String> keys = new TreeSet<>(AdminClientConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        return Set.copyOf(keys);
    }

    /** One table's translation: takes keys out of {@code in} as it translates them. */
    private static final class Translation {
        private final String where;
        /** The message prefix for a key's error: file, the key's line when known, the table's path. */
        private final UnaryOperator<String> at;
        private final Map<String, String> in;
        private final Map<String, String> out = new LinkedHashMap<>();

        Translation(String where, Map<String, String> properties, UnaryOperator<String> at) {
            this.where = where;
            this.at = at;
            this.in = new LinkedHashMap<>(properties);
        }

        Map<String, String> run() {
            mechanism();
            securityProtocol();
            credentials();
            oauthBearer();
            truststore();
            keystore();
            endpointIdentification();
            // every key the Java client lacks is listed, not only the first
            List<ConfigException.Problem> unknown = new ArrayList<>();
            in.forEach((k, v) -> {
                if (!JAVA_KEYS.contains(k)) {
                    unknown.addAll(error(k, "not a property of the Java Kafka client (a librdkafka-only setting?) "
                            + "and lagsnap has no translation for it; remove it or use the Java client's equivalent")
                            .problems());
                }
                out.putIfAbsent(k, v);
            });
            if (!unknown.isEmpty()) {
                throw new ConfigException(unknown);
            }
            return out;
        }

        private void mechanism() {
            String plural = in.remove("sasl.mechanisms");
            if (plural == null) {
                return;
            }
            String singular = in.get(MECHANISM);
            if (singular != null && !singular.equals(plural)) {
                throw error("sasl.mechanisms", "conflicts with \"" + MECHANISM + "\"; set only one of them");
            }
            in.put(MECHANISM, plural);
            translated("sasl.mechanisms", MECHANISM);
        }

        private void securityProtocol() {
            String protocol = in.get("security.protocol");
            if (protocol == null) {
                return;
            }
            String upper = protocol.toUpperCase(Locale.ROOT);
            if (!SecurityProtocol.names().contains(upper)) {
                throw error("security.protocol", "\"" + protocol + "\" is not one of " + SecurityProtocol.names());
            }
            if (!upper.equals(protocol)) {
                in.put("security.protocol", upper);
                LOG.info("{}: security.protocol written in upper case, as the Java client needs", where);
            }
        }

        /** sasl.username/sasl.password: a PLAIN or SCRAM login module with the two values quoted. */
        private void credentials() {
            if (!in.containsKey(USERNAME) && !in.containsKey(PASSWORD)) {
                return;
            }
            String user = require(USERNAME, PASSWORD);
            String password = require(PASSWORD, USERNAME);
            String mechanism = in.getOrDefault(MECHANISM, "GSSAPI");
            String module = switch (mechanism) {
                case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
                case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
                default -> throw error(USERNAME, "needs \"" + MECHANISM + "\" PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"
                        + (in.containsKey(MECHANISM) ? ", got \"" + mechanism + "\"" : " (none is set)"));
            };
            jaas(USERNAME + " + " + PASSWORD, module + " required username=" + quoted(user)
                    + " password=" + quoted(password) + ";");
        }

        /** librdkafka's OIDC client-credentials flow is the Java client's OAuthBearerLoginCallbackHandler. */
        private void oauthBearer() {
            String method = in.remove(OAUTH_METHOD);
            if (method == null) {
                // sasl.oauthbearer.scope is also a property of the Java client (kafka-clients 4.3.1): passed on
                for (String k : new String[] {OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, OAUTH_EXTENSIONS}) {
                    if (in.containsKey(k)) {
                        throw error(k, "needs \"" + OAUTH_METHOD + "\" = \"oidc\"");
                    }
                }
                return;
            }
            if (!method.equalsIgnoreCase("oidc")) {
                throw error(OAUTH_METHOD, "only \"oidc\" has a Java equivalent; the \"default\" method needs a "
                        + "token callback in code: set sasl.login.callback.handler.class instead");
            }
            StringBuilder module = new StringBuilder("org.apache.kafka.common.security.oauthbearer."
                    + "OAuthBearerLoginModule required clientId=" + quoted(require(OAUTH_CLIENT_ID, OAUTH_METHOD))
                    + " clientSecret=" + quoted(require(OAUTH_CLIENT_SECRET, OAUTH_METHOD)));
            String scope = in.remove(OAUTH_SCOPE);
            if (scope != null) {
                module.append(" scope=").append(quoted(scope));
            }
            String extensions = in.remove(OAUTH_EXTENSIONS);
            if (extensions != null) {
                for (String pair : extensions.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw error(OAUTH_EXTENSIONS, "expected key=value[,key=value...]");
                    }
                    module.append(" extension_").append(pair.substring(0, eq).trim()).append('=')
                            .append(quoted(pair.substring(eq + 1).trim()));
                }
            }
            jaas(OAUTH_METHOD + " = oidc + " + OAUTH_CLIENT_ID + " + " + OAUTH_CLIENT_SECRET,
                    module.append(';').toString());
            in.putIfAbsent("sasl.login.callback.handler.class", OAUTH_HANDLER);
            translated(OAUTH_METHOD, "sasl.login.callback.handler.class");
        }

        /**
         * librdkafka turns host name verification off with "none", the Java client with an empty value, which it
         * would otherwise take for the name of an algorithm and fail every TLS handshake with.
         */
        private void endpointIdentification() {
            String key = "ssl.endpoint.identification.algorithm";
            if ("none".equalsIgnoreCase(in.getOrDefault(key, "").trim())) {
                in.remove(key);
                out.put(key, "");
            }
        }

        private void truststore() {
            String ca = in.remove(CA);
            if (ca == null) {
                return;
            }
            Path file = Path.of(ca);
            if (!Files.isRegularFile(file)) {
                throw error(CA, "\"" + ca + "\" is not a file (the Java client takes one PEM file of CA "
                        + "certificates, not a directory or \"probe\")");
            }
            noJavaTwin(CA, "ssl.truststore.location");
            out.put("ssl.truststore.type", "PEM");
            out.put("ssl.truststore.location", ca);
            translated(CA, "ssl.truststore.type=PEM + ssl.truststore.location");
        }

        /** A client certificate: the key and chain go inline as PEM text, as Kafka's PEM keystore takes them. */
        private void keystore() {
            if (!in.containsKey(CERTIFICATE) && !in.containsKey(KEY)) {
                if (in.containsKey(KEY_PASSWORD) && !in.containsKey("ssl.keystore.location")) {
                    throw error(KEY_PASSWORD, "needs \"" + KEY + "\" and \"" + CERTIFICATE + "\"");
                }
                return;
            }
            String certificate = read(CERTIFICATE, require(CERTIFICATE, KEY));
            String key = read(KEY, require(KEY, CERTIFICATE));
            if (key.contains("BEGIN RSA PRIVATE KEY") || key.contains("BEGIN EC PRIVATE KEY")) {
                throw error(KEY, "the Java client reads only PKCS#8 keys (BEGIN PRIVATE KEY or BEGIN ENCRYPTED "
                        + "PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD.key -out NEW.key");
            }
            noJavaTwin(CERTIFICATE, "ssl.keystore.location");
            out.put("ssl.keystore.type", "PEM");
            out.put("ssl.keystore.certificate.chain", certificate);
            out.put("ssl.keystore.key", key);
            translated(CERTIFICATE + " + " + KEY, "ssl.keystore.type=PEM + ssl.keystore.certificate.chain + "
                    + "ssl.keystore.key");
            // ssl.key.password has the same name and meaning in both clients: it stays as given, except beside a
            // key that is not encrypted, which librdkafka reads ignoring it and the Java client refuses to
            if (!key.contains("BEGIN ENCRYPTED PRIVATE KEY") && in.remove(KEY_PASSWORD) != null) {
                translated(KEY_PASSWORD, "nothing (" + KEY + " is not encrypted)");
            }
        }

        private String read(String key, String location) {
            try {
                return Files.readString(Path.of(location), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw error(key, "cannot read \"" + location + "\": " + e.getMessage());
            }
        }

        private void jaas(String from, String config) {
            if (in.containsKey(JAAS)) {
                throw error(from, "conflicts with \"" + JAAS + "\"; set only one of them");
            }
            out.put(JAAS, config);
            translated(from, JAAS);
        }

        private void noJavaTwin(String librdkafka, String java) {
            if (in.containsKey(java)) {
                throw error(librdkafka, "conflicts with \"" + java + "\"; set only one of them");
            }
        }

        /** Removes and returns {@code key}, which {@code with} needs. */
        private String require(String key, String with) {
            String v = in.remove(key);
            if (v == null || v.isEmpty()) {
                throw error(with, "needs \"" + key + "\" as well");
            }
            return v;
        }

        private void translated(String from, String to) {
            LOG.info("{}: librdkafka {} translated to Java {}", where, from, to);
        }

        private ConfigException error(String key, String what) {
            return new ConfigException(at.apply(key) + ".\"" + key + "\": " + what);
        }
    }

    /** A JAAS option value: double quotes, with backslash and quote escaped as JAAS's tokenizer reads them. */
    static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
