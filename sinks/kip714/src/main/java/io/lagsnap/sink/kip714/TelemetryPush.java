package io.lagsnap.sink.kip714;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.KafkaCluster;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes one cluster's series into its brokers' client telemetry through an Admin client, and checks that they got
 * there. An Admin client sends no terminating push when it closes (it closes its telemetry reporter before its
 * network thread could send one), so the series travel in the first periodic push, which the client sends 0.5-1.5
 * push intervals after it got its subscription.
 */
final class TelemetryPush {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPush.class);
    /** Kept back from the deadline to close the client and report before the run gives up on this sink. */
    private static final Duration CLOSE_MARGIN = Duration.ofMillis(500);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final String RECEIVER_HINT = "a broker needs a metric.reporters class implementing "
            + "org.apache.kafka.server.telemetry.ClientTelemetryExporterProvider; stock brokers have none";

    private final String clientId;
    private final boolean perPartition;
    private final Duration subscriptionTimeout;

    TelemetryPush(String clientId, boolean perPartition, Duration subscriptionTimeout) {
        this.clientId = clientId;
        this.perPartition = perPartition;
        this.subscriptionTimeout = subscriptionTimeout;
    }

    String clientId() {
        return clientId;
    }

    boolean perPartition() {
        return perPartition;
    }

    Duration subscriptionTimeout() {
        return subscriptionTimeout;
    }

    Delivery push(KafkaCluster cluster, ClusterSnapshot snapshot, Deadline deadline) throws Exception {
        List<MetricFamily> families = TelemetrySeries.select(snapshot.families(), perPartition);
        Deadline pushBy = deadline.minus(CLOSE_MARGIN);
        Admin admin = Admin.create(adminProperties(cluster));
        try {
            PushTracker tracker = PushTracker.of(admin);
            List<KafkaMetric> series = TelemetrySeries.gauges(families, tracker);
            series.forEach(admin::registerMetricForSubscription);

            Optional<String> unreachable = unreachable(admin, pushBy);
            if (unreachable.isPresent()) {
                return Delivery.failed(unreachable.get());
            }
            Duration wait = pushBy.cap(subscriptionTimeout);
            Uuid instance = admin.clientInstanceId(wait);
            if (instance == null) {
                return Delivery.failed(noSubscription(wait));
            }
            ClientMetricsSubscriptions.Verdict verdict = checkSubscriptions(admin, instance, families, pushBy);
            if (verdict.obstacle().isPresent()) {
                return Delivery.failed(verdict.obstacle().get());
            }
            return awaitPush(tracker, series.size(), instance, verdict, pushBy);
        } finally {
            admin.close(deadline.cap(CLOSE_MARGIN));
        }
    }

    private ClientMetricsSubscriptions.Verdict checkSubscriptions(Admin admin, Uuid instance,
                                                                  List<MetricFamily> families, Deadline pushBy)
            throws InterruptedException {
        try {
            return ClientMetricsSubscriptions.read(admin, pushBy).check(clientAttributes(instance),
                    TelemetrySeries.pushedNames(families), pushBy.remaining());
        } catch (ExecutionException | TimeoutException e) {
            // e.g. without DESCRIBE_CONFIGS on the cluster: the push itself still shows what the subscription wants
            return ClientMetricsSubscriptions.Verdict.unread("subscriptions not read: " + describe(e));
        }
    }

    private Delivery awaitPush(PushTracker tracker, int total, Uuid instance, ClientMetricsSubscriptions.Verdict verdict,
                              Deadline pushBy) throws InterruptedException {
        String unchecked = verdict.unread().map(why -> " (" + why + ")").orElse("");
        while (!tracker.pushAnswered() && !pushBy.expired()) {
            Thread.sleep(pushBy.cap(POLL).toMillis());
        }
        String who = "client_id=" + clientId + ", client instance " + instance;
        if (tracker.pushAnswered()) {
            int pushed = tracker.seriesPushed();
            if (pushed == 0) {
                return Delivery.failed("the telemetry push of " + who + " carried none of lagsnap's series: no "
                        + "subscription applying to it requests names starting with " + TelemetrySeries.NAME_PREFIX
                        + unchecked);
            }
            LOG.debug("pushed {} of {} series as {}", pushed, total, who);
            return Delivery.ok("the broker answered a telemetry push of " + pushed + " of " + total + " series from "
                    + who + unchecked);
        }
        if (tracker.pushBuilt()) {
            return Delivery.failed("a telemetry push of " + who + " was sent but not answered before the deadline");
        }
        return Delivery.failed("no telemetry push from " + who + " before the deadline"
                + verdict.intervalMs().map(ms -> " (push interval " + ms + " ms: the first push comes 0.5-1.5 times that "
                        + "after subscribing)").orElse("") + unchecked);
    }

    /** Asked first, so that a missing subscription later cannot be mistaken for a cluster that does not answer. */
    private Optional<String> unreachable(Admin admin, Deadline pushBy) throws InterruptedException {
        int timeoutMs = (int) pushBy.cap(subscriptionTimeout).toMillis();
        try {
            // the client's own timeout comes first and says more than the future's
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).clusterId()
                    .get(timeoutMs + 200L, TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.of("the cluster did not answer within " + timeoutMs + " ms: " + describe(e));
        }
    }

    private String noSubscription(Duration waited) {
        if (waited.compareTo(subscriptionTimeout) < 0) {
            return "no telemetry subscription within " + waited.toMillis() + " ms, when the run's deadline ended "
                    + "the wait (subscription_timeout is " + subscriptionTimeout.toMillis() + " ms)";
        }
        return "the brokers advertise no client-telemetry APIs: no telemetry subscription within "
                + waited.toMillis() + " ms although the cluster answers (" + RECEIVER_HINT + ")";
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private Properties adminProperties(KafkaCluster cluster) {
        Properties p = new Properties();
        p.putAll(cluster.clientProperties());
        p.remove("group.id"); // a consumer-only key the Admin client would warn about
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        // subscriptions select this client by its id
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        // Admin pushes no telemetry unless asked to (the default is false)
        p.put(AdminClientConfig.ENABLE_METRICS_PUSH_CONFIG, "true");
        return p;
    }

    /** The attributes a broker matches subscriptions on, as this client presents them. */
    private Map<String, String> clientAttributes(Uuid instance) {
        return Map.of("client_id", clientId,
                "client_instance_id", instance.toString(),
                "client_software_name", "apache-kafka-java",
                "client_software_version", AppInfoParser.getVersion());
    }
}
