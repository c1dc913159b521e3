package io.lagsnap.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft Kafka cluster running inside the test JVM ({@link KafkaClusterTestKit}).
 *
 * <p>Node 0 is a combined broker+controller; further nodes are brokers only. Broker settings start from
 * {@link BrokerDefaults} (released metadata version, fast group joins, one-partition internal topics,
 * no retention, no topic auto-creation); the caller's properties override them. Request counts assume
 * one cluster per JVM at a time, as all nodes of a JVM share the broker's meters.
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Admin admin;
    private final RequestCounter requests = new RequestCounter();
    private final List<Scenario> scenarios = new ArrayList<>();
    private volatile boolean requestCountsLost;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        // Captured once: the test kit's own bootstrapServers() fails while any broker is shut down.
        this.bootstrapServers = cluster.bootstrapServers();
        this.admin = cluster.admin();
    }

    /** One combined broker+controller with the default test settings. */
    public static KafkaBroker start() {
        return start(1, Map.of());
    }

    /**
     * {@code brokers} brokers (the first also the controller); {@code serverProps} go to every node
     * on top of the defaults, e.g. {@code metric.reporters}, {@code authorizer.class.name}, listeners.
     */
    public static KafkaBroker start(int brokers, Map<String, String> serverProps) {
        Map<String, String> props = new HashMap<>(BrokerDefaults.forBrokers(brokers));
        props.putAll(serverProps);
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadata(BrokerDefaults.releasedMetadata())
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            props.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new KafkaBroker(cluster);
        } catch (Exception e) {
            closeQuietly(cluster, e);
            throw new IllegalStateException("Kafka test cluster failed to start", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Bootstrap servers of another listener, one added through {@code listeners} and
     * {@code listener.security.protocol.map} in the server properties (e.g. a SASL listener).
     * Works while all brokers run.
     */
    public String bootstrapServers(String listenerName) {
        ListenerName listener = ListenerName.normalised(listenerName);
        StringJoiner servers = new StringJoiner(",");
        for (BrokerServer broker : cluster.brokers().values()) {
            servers.add("localhost:" + broker.boundPort(listener));
        }
        return servers.toString();
    }

    /** The minimal client configuration to reach this cluster: {@code bootstrap.servers}. */
    public Map<String, Object> clientConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /** One Admin shared by all callers; closed with the broker, so do not close it yourself. */
    public Admin admin() {
        return admin;
    }

    /** Node ids of the brokers (0 .. n-1), running or not. */
    public Set<Integer> brokerIds() {
        return new TreeSet<>(cluster.brokers().keySet());
    }

    /**
     * Stops one broker in a controlled way; its controller role (node 0) keeps running. From then on
     * request counts are unavailable: see {@link #requestCount}.
     */
    public void shutdownBroker(int nodeId) {
        requestCountsLost = true;
        brokerServer(nodeId).shutdown();
    }

    /** Restarts a broker stopped by {@link #shutdownBroker}, on the same port, and waits until it is ready. */
    public void startBroker(int nodeId) {
        brokerServer(nodeId).startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("Broker " + nodeId + " did not become ready", e);
        }
    }

    /**
     * How many requests of one API ({@code "OffsetFetch"}, {@code "ListOffsets"}, {@code "Metadata"},
     * ...) the nodes of this JVM have served since their meters were created, summed over API versions.
     * Fetch is also counted under {@code "FetchConsumer"} or {@code "FetchFollower"}; requests between
     * nodes (follower fetches, broker heartbeats) count too. Diff two reads around the code under test.
     *
     * <p>Throws once {@link #shutdownBroker} was called: all nodes of the JVM share each meter, a stopping
     * broker unregisters it, and the other nodes go on counting into the unregistered one unseen.
     */
    public long requestCount(String apiName) {
        ensureRequestCountsIntact();
        return requests.count(apiName);
    }

    /** All request counts by API name, as {@link #requestCount} defines them. */
    public Map<String, Long> requestCounts() {
        ensureRequestCountsIntact();
        return requests.counts();
    }

    /** The requests served since {@code before} (an earlier {@link #requestCounts()}): only APIs whose count changed. */
    public Map<String, Long> requestCountsSince(Map<String, Long> before) {
        Map<String, Long> grown = new TreeMap<>();
        requestCounts().forEach((api, count) -> {
            long delta = count - before.getOrDefault(api, 0L);
            if (delta != 0) {
                grown.put(api, delta);
            }
        });
        return grown;
    }

    /** A new workload builder on this cluster; it is closed with the broker if not before. */
    public synchronized Scenario scenario() {
        Scenario scenario = new Scenario(this);
        scenarios.add(scenario);
        return scenario;
    }

    synchronized void forget(Scenario closed) {
        scenarios.remove(closed);
    }

    /** The in-process broker servers, for helpers that reach into the log layer. */
    Map<Integer, BrokerServer> brokerServers() {
        return cluster.brokers();
    }

    @Override
    public void close() {
        List<Scenario> open;
        synchronized (this) {
            open = new ArrayList<>(scenarios);
        }
        try {
            open.forEach(Scenario::close);
        } finally {
            admin.close();
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("Kafka test cluster did not shut down cleanly", e);
            }
        }
    }

    private void ensureRequestCountsIntact() {
        if (requestCountsLost) {
            throw new IllegalStateException("Request counts are unreliable after shutdownBroker: the stopped broker "
                    + "unregistered the request meters the other nodes of this JVM still count into");
        }
    }

    private BrokerServer brokerServer(int nodeId) {
        BrokerServer broker = cluster.brokers().get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + nodeId + "; brokers are " + brokerIds());
        }
        return broker;
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception failure) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
