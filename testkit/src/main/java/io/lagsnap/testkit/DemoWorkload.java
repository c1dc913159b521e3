package io.lagsnap.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The README demo's workload: each case the metric reference explains (a busy producer, lagging and live groups,
 * an idle producer, data loss to retention, a compacted topic), with timestamps relative to {@code now}. The
 * monitoring tests add two cases: a group name full of HTML, and a topic whose configs lagsnap may not read, so
 * every run has a real per-item error.
 */
public final class DemoWorkload {
    /** Broker settings for {@link #buildWithMonitoringCases}: an authorizer that allows what no ACL mentions. */
    public static final Map<String, String> BROKER = Map.of(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "allow.everyone.if.no.acl.found", "true");
    /** A group whose name a page must escape. */
    public static final String HTML_GROUP = "<b>ops</b> & \"friends\"";
    /** The topic whose configs are denied; its group still gets rows. */
    public static final String DENIED_TOPIC = "vault";

    /** With the monitoring cases: groups by time lag, worst first, as the timestamps make them. */
    public static final List<String> GROUPS_BY_TIME_LAG = List.of("archiver", "customer-cache", "auditor",
            "analytics-nightly", "billing", HTML_GROUP, "vault-reader", "shipping");

    private DemoWorkload() {
    }

    /** The README demo's cases. */
    public static void build(KafkaBroker broker, long now) {
        Scenario s = broker.scenario();
        long minute = 60_000L;
        // orders: a busy producer, one record per second over the last 5 minutes on each of 3 partitions
        s.topic("orders", 3);
        for (int p = 0; p < 3; p++) {
            s.produce("orders", p, 300, i -> now - 300_000L + i * 1000L);
        }
        // billing: an Empty group that stopped a little over two minutes ago (lagging)
        s.commit("billing", Map.of(tp("orders", 0), 180L, tp("orders", 1), 170L, tp("orders", 2), 200L));
        // shipping: a live group with a member, one record behind
        s.commit("shipping", Map.of(tp("orders", 0), 300L, tp("orders", 1), 300L, tp("orders", 2), 299L));
        s.activeMember("shipping", "orders");
        // analytics-nightly: an Empty group with committed offsets far behind
        s.commit("analytics-nightly", Map.of(tp("orders", 0), 10L, tp("orders", 1), 20L, tp("orders", 2), 30L));
        // audit: an idle producer; the newest record is 10 minutes old and the auditor is stuck behind it
        s.topic("audit", 1).produce("audit", 0, 50, i -> now - 59 * minute + i * minute);
        s.commit("auditor", "audit", 0, 49L);
        // clickstream: retention deleted records the archiver never read (data loss)
        s.topic("clickstream", 2);
        s.produce("clickstream", 0, 500, i -> now - 120 * minute + i * 10_000L);
        s.produce("clickstream", 1, 500, i -> now - 120 * minute + i * 10_000L);
        s.deleteRecords("clickstream", 0, 200);
        s.commit("archiver", Map.of(tp("clickstream", 0), 150L, tp("clickstream", 1), 400L));
        // customers: a compacted topic
        s.compactedTopic("customers", 1).produceKeyed("customers", 0, 100, i -> "customer-" + (i % 20),
                i -> now - 30 * minute + i * 1000L);
        s.commit("customer-cache", "customers", 0, 60L);
    }

    /** The demo's cases plus the monitoring ones; the broker must run with {@link #BROKER}. */
    public static void buildWithMonitoringCases(KafkaBroker broker, long now) {
        build(broker, now);
        Scenario s = broker.scenario();
        // a name full of HTML, 50 s behind on one partition
        s.commit(HTML_GROUP, "orders", 0, 250L);
        // vault: lagsnap may read it but not describe its configs (an "authorization" error in the configs phase)
        s.topic(DENIED_TOPIC, 1).produce(DENIED_TOPIC, 0, 5, i -> now - 20_000L);
        s.commit("vault-reader", DENIED_TOPIC, 0, 0L);
        ResourcePattern vault = new ResourcePattern(ResourceType.TOPIC, DENIED_TOPIC, PatternType.LITERAL);
        try {
            // an ACL on the topic ends "allow if no ACL": allow everything, then deny DescribeConfigs
            broker.admin().createAcls(List.of(
                    new AclBinding(vault, new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.ALL,
                            AclPermissionType.ALLOW)),
                    new AclBinding(vault, new AccessControlEntry("User:ANONYMOUS", "*",
                            AclOperation.DESCRIBE_CONFIGS, AclPermissionType.DENY)))).all().get();
            awaitDenied(broker.admin());
        } catch (Exception e) {
            throw new IllegalStateException("could not deny DescribeConfigs on " + DENIED_TOPIC, e);
        }
    }

    /** The broker applies ACLs from the metadata log a moment after the controller accepted them. */
    private static void awaitDenied(Admin admin) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, DENIED_TOPIC);
        Await.until("DescribeConfigs on " + DENIED_TOPIC + " to be denied", Duration.ofSeconds(15), () -> {
            try {
                admin.describeConfigs(List.of(topic)).all().get();
                return false;
            } catch (ExecutionException e) {
                return e.getCause() instanceof TopicAuthorizationException;
            }
        });
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
