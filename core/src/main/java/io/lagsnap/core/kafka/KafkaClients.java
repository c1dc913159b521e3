package io.lagsnap.core.kafka;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ExporterConfig;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/** Client properties for one cluster: the user's consumer_properties first, then what lagsnap must control. */
final class KafkaClients {
    private KafkaClients() {
    }

    static Properties adminProperties(ClusterConfig cluster, ExporterConfig.Performance performance) {
        return adminProperties(cluster, performance, 0);
    }

    /**
     * Properties of one of a cycle's Admin clients ({@link AdminCalls#LANES}): lanes after the first get the client
     * id with "-" and the lane number, as two clients of one id would clash in JMX.
     */
    static Properties adminProperties(ClusterConfig cluster, ExporterConfig.Performance performance, int lane) {
        Properties p = base(cluster, "lagsnap-admin");
        if (lane > 0) {
            p.put(CommonClientConfigs.CLIENT_ID_CONFIG, p.getProperty(CommonClientConfigs.CLIENT_ID_CONFIG) + "-" + lane);
        }
        int timeout = (int) performance.kafkaTimeout().toMillis();
        p.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        return p;
    }

    static Properties base(ClusterConfig cluster, String clientId) {
        Properties p = new Properties();
        p.putAll(cluster.consumerProperties());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        p.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        // no JmxReporter (Kafka's default): a one-shot run has no JMX reader, and registering an MBean per metric
        // (the sampler's per-partition fetch metrics included) costs CPU; lagsnap reads the clients' metrics directly
        p.putIfAbsent(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        // no KIP-714 push of the clients' own metrics: its collector names every new metric with regexes (thousands
        // of per-partition fetch metrics in a large cycle) for a subscription a one-shot run would never serve
        p.putIfAbsent(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
        // consumer-only keys make Admin log "unused config" warnings; the group id must never reach a client
        p.remove("group.id");
        return p;
    }
}
