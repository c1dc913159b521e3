package io.lagsnap.core.kafka;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.PemCa;
import io.lagsnap.testkit.SecureListeners;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each way a first run's bootstrap can be wrong, against a real listener on loopback: the cluster is down with the
 * address and the named cause, decided by the connect budget rather than by the 30 s Kafka call timeout. The
 * librdkafka-style TLS settings (a PEM CA, a PEM client certificate and key) are proven to connect here too.
 */
class ConnectBudgetTest {
    private static final PemCa CA = PemCa.get();
    private static KafkaBroker broker;
    private static HttpServer http;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(1, SecureListeners.serverProps(CA, Map.of("alice", "alice-pw")));
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() {
        http.stop(0);
        broker.close();
    }

    private static ClusterSnapshot collect(String bootstrap, String properties) {
        LagsnapConfig c = config(bootstrap, ".*", """
                [clusters.consumer_properties]
                %s
                """.formatted(properties));
        var exporter = new io.lagsnap.core.config.ExporterConfig(c.exporter().granularity(),
                c.exporter().lagIsolation(),
                new io.lagsnap.core.config.ExporterConfig.TimestampSampling(false, Duration.ofSeconds(5), 100, false),
                new io.lagsnap.core.config.ExporterConfig.Performance(Duration.ofSeconds(30), Duration.ofSeconds(10),
                        Duration.ofSeconds(5)));
        return new KafkaCollector(c.clusters().get(0), exporter, Shard.ALL).collect(Deadline.after(Duration.ofSeconds(60)));
    }

    private static String saslSsl(String mechanism, String user, String password, boolean trustCa) {
        return """
                "security.protocol" = "sasl_ssl"
                "sasl.mechanisms" = "%s"
                "sasl.username" = "%s"
                "sasl.password" = "%s"
                """.formatted(mechanism, user, password)
                + (trustCa ? "\"ssl.ca.location\" = \"" + CA.caPem() + "\"\n" : "");
    }

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ClusterSnapshot s = collect("127.0.0.1:" + port, "");
        assertThat(s.up()).isFalse();
        assertThat(s.error()).isEqualTo("cannot use the cluster within the 5.0 s connect budget: 127.0.0.1:" + port
                + ": connection refused (nothing listens on port " + port + ")");
    }

    @Test
    void unresolvableHostIsADnsFailure() {
        ClusterSnapshot s = collect("no-such-broker.invalid:9092", "");
        assertThat(s.error()).isEqualTo("cannot use the cluster within the 5.0 s connect budget: "
                + "no-such-broker.invalid:9092: DNS lookup failed: unknown host \"no-such-broker.invalid\"");
    }

    @Test
    void anHttpServerIsNotKafka() {
        String address = "127.0.0.1:" + http.getAddress().getPort();
        ClusterSnapshot s = collect(address, "");
        assertThat(s.error()).isEqualTo("cannot use the cluster within the 5.0 s connect budget: " + address
                + ": not a Kafka listener: it accepted the connection but did not answer a Kafka request "
                + "(an HTTP server?)");
    }

    @Test
    void aTlsListenerReachedInPlaintextIsNamed() {
        String address = broker.bootstrapServers(SecureListeners.MTLS);
        ClusterSnapshot s = collect(address, "");
        assertThat(s.error()).isEqualTo("cannot use the cluster within the 5.0 s connect budget: " + address
                + ": not a Kafka listener: it closed the connection on a Kafka request (a TLS listener reached with "
                + "security.protocol PLAINTEXT?)");
    }

    /**
     * A listener that resets every connection (the Admin clients' as well as the check's) on the first byte of a
     * request, as a TLS listener drops a plaintext one: the reset rather than an orderly close (the run above once
     * failed with "Broken pipe" instead). It reads first, so that the reset cannot overtake the connect itself.
     */
    @Test
    void aListenerThatResetsTheConnectionIsNamedAsOneThatClosedIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread resetter = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket accepted = server.accept()) {
                        accepted.setSoTimeout(10_000);
                        accepted.getInputStream().read();
                        accepted.setSoLinger(true, 0);
                    } catch (IOException e) {
                        if (server.isClosed()) {
                            return; // the test is over
                        }
                    }
                }
            });
            resetter.start();
            String address = "127.0.0.1:" + server.getLocalPort();

            ClusterSnapshot s = collect(address, "");

            assertThat(s.error()).isEqualTo("cannot use the cluster within the 5.0 s connect budget: " + address
                    + ": not a Kafka listener: it closed the connection on a Kafka request (a TLS listener reached"
                    + " with security.protocol PLAINTEXT?)");
        }
    }

    @Test
    void anUntrustedBrokerCertificateIsATlsHandshakeFailure() {
        String address = broker.bootstrapServers(SecureListeners.SASL_SSL);
        ClusterSnapshot s = collect(address, saslSsl("PLAIN", "alice", "alice-pw", false));
        assertThat(s.error()).startsWith("cannot use the cluster within the 5.0 s connect budget: " + address
                + ": TLS handshake failed: ").contains("certification path");
    }

    @Test
    void aWrongPasswordIsASaslFailureNamingTheMechanism() {
        String address = broker.bootstrapServers(SecureListeners.SASL_SSL);
        ClusterSnapshot s = collect(address, saslSsl("PLAIN", "alice", "wrong-pw", true));
        assertThat(s.error()).startsWith("cannot use the cluster within the 5.0 s connect budget: " + address
                + ": SASL authentication failed with mechanism PLAIN: ");
    }

    @Test
    void librdkafkaSaslAndPemCaSettingsConnect() throws Exception {
        SecureListeners.scramUser(broker, "bob", "bob-pw");
        String address = broker.bootstrapServers(SecureListeners.SASL_SSL);
        assertThat(collect(address, saslSsl("PLAIN", "alice", "alice-pw", true)).error()).isNull();
        assertThat(collect(address, saslSsl("SCRAM-SHA-256", "bob", "bob-pw", true)).error()).isNull();
        assertThat(collect(address, saslSsl("SCRAM-SHA-512", "bob", "bob-pw", true)).up()).isTrue();
    }

    @Test
    void librdkafkaClientCertificateAndKeyConnect() {
        String address = broker.bootstrapServers(SecureListeners.MTLS);
        ClusterSnapshot s = collect(address, """
                "security.protocol" = "SSL"
                "ssl.ca.location" = "%s"
                "ssl.certificate.location" = "%s"
                "ssl.key.location" = "%s"
                """.formatted(CA.caPem(), CA.clientCertificatePem(), CA.clientKeyPem()));
        assertThat(s.error()).isNull();
        assertThat(s.up()).isTrue();
    }
}
