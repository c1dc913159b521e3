package io.lagsnap.core.kafka;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.sink.api.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves within a short budget that a cluster's bootstrap servers are a reachable Kafka listener the client can log
 * in to, before the collection spends its per-call timeouts (and the client logs a retry warning every backoff).
 * Checks in order, each cause named with the address: the host resolves, the port accepts a connection, the
 * listener answers a Kafka ApiVersions request (plaintext listeners), and TLS and SASL do not fail (secured
 * listeners: one Admin round trip with retries spaced past the budget, so the client logs a failure once). Only a
 * definite failure fails the cluster; a login still running when the budget ends lets the collection go on.
 */
public final class ConnectBudget {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectBudget.class);
    private static final short API_VERSIONS = 18;
    private static final int CORRELATION_ID = 0x6c61_6773;

    private final ClusterConfig cluster;
    private final ExporterConfig.Performance performance;

    public ConnectBudget(ClusterConfig cluster, ExporterConfig.Performance performance) {
        this.cluster = cluster;
        this.performance = performance;
    }

    /** Why the cluster cannot be used, or empty when one bootstrap server passed every check. */
    public Optional<String> check(Deadline deadline) {
        Duration budget = budget(deadline);
        long until = System.nanoTime() + budget.toNanos();
        String protocol = cluster.consumerProperties()
                .getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").toUpperCase(Locale.ROOT);
        List<String> causes = new ArrayList<>();
        for (String server : cluster.bootstrapServers().split(",")) {
            String address = server.trim();
            Optional<String> cause = reach(address, protocol, until);
            if (cause.isEmpty()) {
                return protocol.equals("PLAINTEXT") ? Optional.empty() : login(until).map(c -> failed(budget, c));
            }
            causes.add(address + ": " + cause.get());
        }
        return Optional.of(failed(budget, String.join("; ", causes)));
    }

    private static String failed(Duration budget, String causes) {
        return "cannot use the cluster within the " + budget.toMillis() / 1000.0 + " s connect budget: " + causes;
    }

    /** The configured connect budget, cut to what is left of the run. */
    Duration budget(Deadline deadline) {
        Duration left = deadline.remaining();
        return left.compareTo(performance.connectTimeout()) < 0 ? left : performance.connectTimeout();
    }

    private static Optional<String> reach(String address, String protocol, long until) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        InetSocketAddress resolved = new InetSocketAddress(host, port);
        if (resolved.isUnresolved()) {
            return Optional.of("DNS lookup failed: unknown host \"" + host + "\"");
        }
        try (Socket socket = new Socket()) {
            try {
                socket.connect(resolved, millisLeft(until));
            } catch (SocketTimeoutException e) {
                return Optional.of("TCP connect timed out (a firewall dropping packets?)");
            }
            if (protocol.endsWith("PLAINTEXT")) {
                socket.setSoTimeout(millisLeft(until));
                return apiVersions(socket);
            }
            return Optional.empty();
        } catch (ConnectException e) {
            return Optional.of("connection refused (nothing listens on port " + port + ")");
        } catch (SocketTimeoutException e) {
            return Optional.of("not a Kafka listener: it accepted the connection but did not answer a Kafka "
                    + "request (an HTTP server?)");
        } catch (UnknownHostException e) {
            return Optional.of("DNS lookup failed: unknown host \"" + host + "\"");
        } catch (IOException e) {
            return Optional.of("cannot connect: " + e.getMessage());
        }
    }

    /**
     * A plaintext Kafka listener answers ApiVersions v0 (allowed before SASL) with our correlation id. A listener
     * that drops the connection instead (a TLS one does on the first bytes) shows as an end of stream, or as a reset
     * or broken pipe when its close arrived while the request was still being sent: the same verdict.
     */
    private static Optional<String> apiVersions(Socket socket) throws IOException {
        byte[] clientId = "lagsnap-connect-check".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        DataOutputStream request = new DataOutputStream(frame);
        request.writeInt(2 + 2 + 4 + 2 + clientId.length);
        request.writeShort(API_VERSIONS);
        request.writeShort(0);
        request.writeInt(CORRELATION_ID);
        request.writeShort(clientId.length);
        request.write(clientId);
        byte[] head = new byte[8];
        try {
            socket.getOutputStream().write(frame.toByteArray());
            new DataInputStream(socket.getInputStream()).readFully(head);
        } catch (SocketTimeoutException e) {
            throw e; // it took the connection and the request, and said nothing: see reach
        } catch (IOException e) {
            // an end of stream, or a reset or broken pipe (the JDK reports these as plain IOExceptions too)
            return Optional.of("not a Kafka listener: it closed the connection on a Kafka request"
                    + " (a TLS listener reached with security.protocol PLAINTEXT?)");
        }
        int size = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
        int correlation = (head[4] & 0xff) << 24 | (head[5] & 0xff) << 16 | (head[6] & 0xff) << 8 | head[7] & 0xff;
        if (correlation == CORRELATION_ID && size >= 6 && size < 1 << 20) {
            return Optional.empty();
        }
        return Optional.of("not a Kafka listener: it answered a Kafka request with \"" + printable(head) + "\"");
    }

    /** TLS and SASL: one Admin round trip, its retries spaced past the budget so the failure is logged once. */
    private Optional<String> login(long until) {
        Properties p = KafkaClients.adminProperties(cluster, performance);
        String ms = Integer.toString(millisLeft(until));
        for (String key : List.of(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG,
                CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, CommonClientConfigs.RECONNECT_BACKOFF_MS_CONFIG,
                CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG,
                CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG)) {
            p.put(key, ms);
        }
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "lagsnap-connect-check");
        Admin admin;
        long created = System.nanoTime();
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            return Optional.empty(); // the collection reports the refused configuration with its cause
        }
        // the budget is for the network; a cold JVM may take seconds to load the TLS and SASL machinery
        int millis = millisLeft(until + System.nanoTime() - created);
        try (admin) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes()
                    .get(millis + 1000L, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return e.getCause() instanceof TimeoutException ? slowLogin(millis)
                    : Optional.of(loginFailure(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            return slowLogin(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /**
     * The listener took the connection but the login did not finish in time: a slow path (a loaded machine, a cold
     * JVM) rather than a wrong setting, so the collection goes on under its own call timeouts.
     */
    private Optional<String> slowLogin(int millis) {
        LOG.warn("cluster {}: TLS/SASL login to {} did not finish within {} ms; collecting anyway", cluster.name(),
                cluster.bootstrapServers(), millis);
        return Optional.empty();
    }

    private String loginFailure(Throwable cause) {
        String servers = cluster.bootstrapServers();
        if (cause instanceof SaslAuthenticationException) {
            return servers + ": SASL authentication failed with mechanism "
                    + cluster.consumerProperties().getOrDefault("sasl.mechanism", "GSSAPI") + ": "
                    + cause.getMessage();
        }
        if (cause instanceof SslAuthenticationException) {
            Throwable root = cause;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return servers + ": TLS handshake failed: " + root.getMessage();
        }
        return servers + ": " + ItemErrors.message(cause);
    }

    private static int millisLeft(long until) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
    }

    private static String printable(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return s.toString();
    }
}
