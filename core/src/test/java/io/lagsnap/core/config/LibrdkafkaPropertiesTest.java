package io.lagsnap.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The librdkafka → Java table of docs/first-run.md, key by key; connecting with the results is ConnectBudgetTest. */
class LibrdkafkaPropertiesTest {
    private static final String WHERE = "config.toml: clusters[0].consumer_properties";
    private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM = "org.apache.kafka.common.security.scram.ScramLoginModule";

    @TempDir
    Path dir;

    private static Map<String, String> java(String... keyValues) {
        Map<String, String> in = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            in.put(keyValues[i], keyValues[i + 1]);
        }
        return LibrdkafkaProperties.toJava("config.toml", "clusters[0].consumer_properties", in, key -> 0);
    }

    @Test
    void javaPropertiesPassUnchanged() {
        assertThat(java("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", SCRAM + " required username=\"u\" password=\"p\";", "session.timeout.ms", "30000"))
                .containsExactly(Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry("sasl.jaas.config", SCRAM + " required username=\"u\" password=\"p\";"),
                        Map.entry("session.timeout.ms", "30000"));
    }

    @Test
    void plainCredentialsBecomeAPlainLoginModule() {
        assertThat(java("security.protocol", "sasl_ssl", "sasl.mechanism", "PLAIN", "sasl.username", "alice",
                "sasl.password", "s3cret"))
                .containsExactly(Map.entry("sasl.jaas.config", PLAIN + " required username=\"alice\" password=\"s3cret\";"),
                        Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.mechanism", "PLAIN"));
    }

    @Test
    void scramCredentialsWithThePluralKeyBecomeAScramLoginModule() {
        for (String mechanism : new String[] {"SCRAM-SHA-256", "SCRAM-SHA-512"}) {
            assertThat(java("sasl.mechanisms", mechanism, "sasl.username", "bob", "sasl.password", "pw"))
                    .containsEntry("sasl.mechanism", mechanism)
                    .containsEntry("sasl.jaas.config", SCRAM + " required username=\"bob\" password=\"pw\";")
                    .doesNotContainKeys("sasl.mechanisms", "sasl.username", "sasl.password");
        }
    }

    /** Kafka's own JAAS parser reads back exactly the password given, quotes and backslashes included. */
    @Test
    void credentialsAreEscapedAsTheJaasParserReadsThem() {
        String password = "a\"b\\c d;e=f'g";
        String jaas = java("sasl.mechanism", "PLAIN", "sasl.username", "al\"ice", "sasl.password", password)
                .get("sasl.jaas.config");
        var entry = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaas)))
                .configurationEntries().get(0);
        assertThat(entry.getLoginModuleName()).isEqualTo(PLAIN);
        assertThat(Map.copyOf(entry.getOptions())).isEqualTo(Map.of("username", "al\"ice", "password", password));
    }

    @Test
    void credentialsNeedAMechanismWithAUserAndPasswordLogin() {
        assertThatThrownBy(() -> java("sasl.username", "alice", "sasl.password", "pw"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(WHERE + ".\"sasl.username\": needs \"sasl.mechanism\" PLAIN, SCRAM-SHA-256 or "
                        + "SCRAM-SHA-512 (none is set)");
        assertThatThrownBy(() -> java("sasl.mechanism", "GSSAPI", "sasl.username", "alice", "sasl.password", "pw"))
                .hasMessage(WHERE + ".\"sasl.username\": needs \"sasl.mechanism\" PLAIN, SCRAM-SHA-256 or "
                        + "SCRAM-SHA-512, got \"GSSAPI\"");
        assertThatThrownBy(() -> java("sasl.mechanism", "PLAIN", "sasl.username", "alice"))
                .hasMessage(WHERE + ".\"sasl.username\": needs \"sasl.password\" as well");
        assertThatThrownBy(() -> java("sasl.mechanism", "PLAIN", "sasl.username", "a", "sasl.password", "p",
                "sasl.jaas.config", PLAIN + " required;"))
                .hasMessage(WHERE + ".\"sasl.username + sasl.password\": conflicts with \"sasl.jaas.config\"; set "
                        + "only one of them");
        assertThatThrownBy(() -> java("sasl.mechanisms", "PLAIN", "sasl.mechanism", "SCRAM-SHA-256"))
                .hasMessage(WHERE + ".\"sasl.mechanisms\": conflicts with \"sasl.mechanism\"; set only one of them");
    }

    @Test
    void securityProtocolIsUpperCasedAndChecked() {
        for (String p : SecurityProtocol.names()) {
            assertThat(java("security.protocol", p.toLowerCase())).containsExactly(Map.entry("security.protocol", p));
        }
        assertThatThrownBy(() -> java("security.protocol", "tls"))
                .hasMessage(WHERE + ".\"security.protocol\": \"tls\" is not one of " + SecurityProtocol.names());
    }

    @Test
    void librdkafkasNoneForHostNameVerificationBecomesTheJavaClientsEmptyValue() {
        assertThat(java("ssl.endpoint.identification.algorithm", "none"))
                .containsExactly(Map.entry("ssl.endpoint.identification.algorithm", ""));
        assertThat(java("ssl.endpoint.identification.algorithm", "https"))
                .containsExactly(Map.entry("ssl.endpoint.identification.algorithm", "https"));
    }

    @Test
    void aCaFileBecomesAPemTruststore() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(java("security.protocol", "SSL", "ssl.ca.location", ca.toString()))
                .containsExactly(Map.entry("ssl.truststore.type", "PEM"),
                        Map.entry("ssl.truststore.location", ca.toString()), Map.entry("security.protocol", "SSL"));
        assertThatThrownBy(() -> java("ssl.ca.location", dir.toString()))
                .hasMessage(WHERE + ".\"ssl.ca.location\": \"" + dir + "\" is not a file (the Java client takes one "
                        + "PEM file of CA certificates, not a directory or \"probe\")");
        assertThatThrownBy(() -> java("ssl.ca.location", ca.toString(), "ssl.truststore.location", "/x.p12"))
                .hasMessage(WHERE + ".\"ssl.ca.location\": conflicts with \"ssl.truststore.location\"; set only "
                        + "one of them");
    }

    @Test
    void aCertificateAndKeyBecomeAPemKeystoreAndAPkcs1KeyIsRefusedWithTheFix() throws Exception {
        Path cert = Files.writeString(dir.resolve("client.pem"), "CERT");
        Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\nK\n");
        // a key that is not encrypted: librdkafka ignores a password, the Java client would refuse the keystore
        assertThat(java("ssl.certificate.location", cert.toString(), "ssl.key.location", key.toString(),
                "ssl.key.password", "kpw"))
                .containsExactly(Map.entry("ssl.keystore.type", "PEM"),
                        Map.entry("ssl.keystore.certificate.chain", "CERT"),
                        Map.entry("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----\nK\n"));
        Path encrypted = Files.writeString(dir.resolve("enc.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nE\n");
        assertThat(java("ssl.certificate.location", cert.toString(), "ssl.key.location", encrypted.toString(),
                "ssl.key.password", "kpw"))
                .containsExactly(Map.entry("ssl.keystore.type", "PEM"),
                        Map.entry("ssl.keystore.certificate.chain", "CERT"),
                        Map.entry("ssl.keystore.key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nE\n"),
                        Map.entry("ssl.key.password", "kpw"));
        Path rsa = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> java("ssl.certificate.location", cert.toString(), "ssl.key.location", rsa.toString()))
                .hasMessage(WHERE + ".\"ssl.key.location\": the Java client reads only PKCS#8 keys (BEGIN PRIVATE "
                        + "KEY or BEGIN ENCRYPTED PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt "
                        + "-in OLD.key -out NEW.key");
        assertThatThrownBy(() -> java("ssl.key.location", key.toString()))
                .hasMessage(WHERE + ".\"ssl.key.location\": needs \"ssl.certificate.location\" as well");
        assertThatThrownBy(() -> java("ssl.certificate.location", dir.resolve("none.pem").toString(),
                "ssl.key.location", key.toString()))
                .hasMessageStartingWith(WHERE + ".\"ssl.certificate.location\": cannot read \"" + dir.resolve("none.pem"));
    }

    @Test
    void oidcBecomesTheJavaClientsOAuthLogin() {
        assertThat(java("sasl.mechanism", "OAUTHBEARER", "sasl.oauthbearer.method", "oidc",
                "sasl.oauthbearer.client.id", "lagsnap", "sasl.oauthbearer.client.secret", "cs",
                "sasl.oauthbearer.scope", "kafka", "sasl.oauthbearer.extensions", "logicalCluster=lkc-1,pool=p-2",
                "sasl.oauthbearer.token.endpoint.url", "https://idp.example/token"))
                .containsExactly(
                        Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer."
                                + "OAuthBearerLoginModule required clientId=\"lagsnap\" clientSecret=\"cs\" "
                                + "scope=\"kafka\" extension_logicalCluster=\"lkc-1\" extension_pool=\"p-2\";"),
                        Map.entry("sasl.mechanism", "OAUTHBEARER"),
                        Map.entry("sasl.oauthbearer.token.endpoint.url", "https://idp.example/token"),
                        Map.entry("sasl.login.callback.handler.class",
                                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler"));
        assertThatThrownBy(() -> java("sasl.oauthbearer.method", "default"))
                .hasMessageStartingWith(WHERE + ".\"sasl.oauthbearer.method\": only \"oidc\" has a Java equivalent");
        assertThatThrownBy(() -> java("sasl.oauthbearer.client.id", "x"))
                .hasMessage(WHERE + ".\"sasl.oauthbearer.client.id\": needs \"sasl.oauthbearer.method\" = \"oidc\"");
    }

    /** Without librdkafka's method key, sasl.oauthbearer.scope is the Java client's property of that name. */
    @Test
    void theJavaClientsOwnOAuthScopePassesUnchanged() {
        String jaas = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;";
        assertThat(java("sasl.jaas.config", jaas, "sasl.oauthbearer.scope", "kafka"))
                .containsExactly(Map.entry("sasl.jaas.config", jaas), Map.entry("sasl.oauthbearer.scope", "kafka"));
    }

    @Test
    void aLibrdkafkaOnlyPropertyIsAConfigErrorNotPassedThrough() {
        for (String key : new String[] {"enable.ssl.certificate.verification", "statistics.interval.ms",
            "api.version.request", "debug", "ssl.keystore.password.typo"}) {
            assertThatThrownBy(() -> java("security.protocol", "SSL", key, "x"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(WHERE + ".\"" + key + "\": not a property of the Java Kafka client (a librdkafka-only "
                            + "setting?) and lagsnap has no translation for it; remove it or use the Java client's "
                            + "equivalent");
        }
    }
}
