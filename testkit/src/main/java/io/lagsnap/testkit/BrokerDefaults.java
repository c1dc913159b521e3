package io.lagsnap.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/** Broker settings that make a test cluster start fast, behave deterministically and look released. */
final class BrokerDefaults {
    private BrokerDefaults() {
    }

    /**
     * The metadata version and feature levels a released broker of this Kafka version formats with
     * (the test kit's default would enable unreleased ones). Setting only the metadata version is not
     * enough: in 4.3.1 that drops every other feature, group.version included, and with it KIP-848 groups.
     */
    static BootstrapMetadata releasedMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            if (!feature.featureName().equals(MetadataVersion.FEATURE_NAME)) {
                features.put(feature.featureName(), feature.defaultLevel(version));
            }
        }
        return BootstrapMetadata.fromVersions(version, features, "lagsnap-testkit");
    }

    /** Replicas per topic partition: as many as the cluster has brokers, up to the usual 3. */
    static short replicationFactor(int brokers) {
        return (short) Math.min(3, brokers);
    }

    static Map<String, String> forBrokers(int brokers) {
        String replication = String.valueOf(replicationFactor(brokers));
        Map<String, String> props = new HashMap<>();
        // Advertise only released API and feature versions, as a production broker does.
        props.put("unstable.api.versions.enable", "false");
        props.put("unstable.feature.versions.enable", "false");
        // Groups join at once instead of waiting 3 s for more members.
        props.put("group.initial.rebalance.delay.ms", "0");
        // Internal topics: one partition each, replicated as far as the cluster allows.
        props.put("offsets.topic.num.partitions", "1");
        props.put("offsets.topic.replication.factor", replication);
        props.put("transaction.state.log.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", replication);
        props.put("transaction.state.log.min.isr", "1");
        props.put("min.insync.replicas", "1");
        // Share groups (KIP-932) keep their state in __share_group_state, by default 50 partitions x 3 replicas.
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", replication);
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Topics exist only when a test creates them, so a typo fails instead of creating a topic.
        props.put("auto.create.topics.enable", "false");
        // Tests choose record timestamps freely (far past or future): no retention, no future limit.
        props.put("log.retention.ms", "-1");
        props.put("log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
        // KIP-848 members heartbeat (and so learn of new assignments) every 0.5 s, not 5 s.
        props.put("group.consumer.min.heartbeat.interval.ms", "500");
        props.put("group.consumer.heartbeat.interval.ms", "500");
        // A restarted broker may register again only once its old session expired (default 9 s).
        props.put("broker.heartbeat.interval.ms", "500");
        props.put("broker.session.timeout.ms", "4000");
        // The cleaner re-checks for compactable logs every 50 ms instead of 15 s.
        props.put("log.cleaner.backoff.ms", "50");
        return props;
    }
}
