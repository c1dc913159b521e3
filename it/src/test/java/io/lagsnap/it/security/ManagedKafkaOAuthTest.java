package io.lagsnap.it.security;

import io.lagsnap.testkit.PemCa;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lagsnap.testkit.CliProcess;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Google Managed Service for Apache Kafka's OAUTHBEARER, end to end through the CLI, with Google's real login
 * handler ({@code GcpLoginCallbackHandler}) configured only through {@code consumer_properties}. Google cannot be
 * reached here, so two stand-ins take its place: a token endpoint (the service account key's {@code token_uri}) and
 * the broker's token check ({@link ManagedKafkaTokenValidator}). The handler reads Application Default Credentials
 * (a service account key made in the test), signs a JWT grant, trades it at the token endpoint, and sends the
 * access token in Managed Kafka's format; the broker authenticates the service account and lagsnap collects.
 */
class ManagedKafkaOAuthTest {
    private static final PemCa CA = PemCa.get();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(SecureBroker.serverProps(CA));

    private static final String ACCOUNT = "lagsnap@lagsnap-test.iam.gserviceaccount.com";

    @TempDir
    Path dir;

    /** The form bodies posted to the token endpoint. */
    private final List<String> grants = new CopyOnWriteArrayList<>();
    private HttpServer tokenEndpoint;

    @AfterEach
    void stopTokenEndpoint() {
        if (tokenEndpoint != null) {
            tokenEndpoint.stop(0);
        }
    }

    @Test
    void theServiceAccountAuthenticatesThroughGooglesLoginHandlerAndTheSnapshotIsFull() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        SecureBroker.grant(broker, "User:" + ACCOUNT, SecureBroker.DOCUMENTED_ACLS);
        broker.scenario().topic("gcp-t", 1).produce("gcp-t", 0, 10, i -> 1_000L).commit("gcp-g", "gcp-t", 0, 3L);
        startTokenEndpoint();
        Path credentials = serviceAccountKey();
        Path rows = dir.resolve("rows.ndjson");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                [[clusters]]
                name = "managed"
                bootstrap_servers = "%s"
                group_whitelist = ["^gcp-"]
                [clusters.consumer_properties]
                "security.protocol" = "SASL_PLAINTEXT"
                "sasl.mechanism" = "OAUTHBEARER"
                "sasl.login.callback.handler.class" = "com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler"
                "sasl.jaas.config" = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"
                [[sinks]]
                type = "file"
                path = "%s"
                """.formatted(broker.bootstrapServers(SecureBroker.GCP), rows));

        CliProcess.Result run = CliProcess.start("gcp", config,
                Map.of("GOOGLE_APPLICATION_CREDENTIALS", credentials.toString()), dir, List.of())
                .await(Duration.ofSeconds(60));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode row = new ObjectMapper().readTree(Files.readString(rows));
        assertThat(row.get("group").asText()).isEqualTo("gcp-g");
        assertThat(row.get("lag").asLong()).isEqualTo(7);
        assertThat(grants).isNotEmpty().allSatisfy(grant -> {
            Map<String, String> form = form(grant);
            assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
            JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(
                    form.get("assertion").split("\\.")[1]));
            assertThat(claims.get("iss").asText()).isEqualTo(ACCOUNT);
            assertThat(claims.get("scope").asText()).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
        });
    }

    /** Google's OAuth 2.0 token endpoint, stand-in: answers every grant with the one token the broker accepts. */
    private void startTokenEndpoint() throws Exception {
        tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenEndpoint.createContext("/token", exchange -> {
            grants.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"access_token\":\"" + SecureBroker.GCP_ACCESS_TOKEN
                    + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tokenEndpoint.start();
    }

    /** A service account key file, as {@code gcloud iam service-accounts keys create} writes it. */
    private Path serviceAccountKey() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        var key = new ObjectMapper().createObjectNode()
                .put("type", "service_account")
                .put("project_id", "lagsnap-test")
                .put("private_key_id", "test-key")
                .put("private_key", pem)
                .put("client_email", ACCOUNT)
                .put("client_id", "1")
                .put("token_uri", "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token");
        Path file = dir.resolve("service-account.json");
        Files.writeString(file, key.toString());
        return file;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
