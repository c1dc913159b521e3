package io.lagsnap.sink.kip714;

import io.lagsnap.sink.api.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.ListConfigResourcesOptions;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The cluster's client-metrics subscriptions (KIP-714), read through the Admin API (DESCRIBE_CONFIGS on the
 * cluster), and what they ask of one client. This mirrors the broker: a subscription applies to a client when each
 * of its {@code match} selectors fully matches the client's attribute (no selector: every client); the client gets
 * the union of their metric prefixes and the smallest of their intervals. The client's source address and port are
 * not known here, so a subscription selecting on them counts as possibly applying: the check only ever rules out.
 */
final class ClientMetricsSubscriptions {
    private static final Set<String> UNKNOWN_ATTRIBUTES = Set.of("client_source_address", "client_source_port");
    private static final String ALL_METRICS = "*";
    /** The broker's interval.ms for a subscription that sets none. */
    private static final int DEFAULT_INTERVAL_MS = 5 * 60 * 1000;

    private final List<Subscription> subscriptions;

    private ClientMetricsSubscriptions(List<Subscription> subscriptions) {
        this.subscriptions = subscriptions;
    }

    record Subscription(String name, List<String> metrics, int intervalMs, List<String> match) {
    }

    /**
     * What the subscriptions that may apply to a client mean for it: why it cannot push lagsnap's series in time,
     * if so; the shortest push interval it may get; or, when they could not be read, why not.
     */
    record Verdict(Optional<String> obstacle, Optional<Integer> intervalMs, Optional<String> unread) {
        static Verdict blocked(String why, Optional<Integer> intervalMs) {
            return new Verdict(Optional.of(why), intervalMs, Optional.empty());
        }

        static Verdict unread(String why) {
            return new Verdict(Optional.empty(), Optional.empty(), Optional.of(why));
        }
    }

    static ClientMetricsSubscriptions read(Admin admin, Deadline deadline)
            throws ExecutionException, InterruptedException, TimeoutException {
        int timeoutMs = (int) deadline.remaining().toMillis();
        Collection<ConfigResource> resources = admin.listConfigResources(Set.of(ConfigResource.Type.CLIENT_METRICS),
                new ListConfigResourcesOptions().timeoutMs(timeoutMs)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        if (resources.isEmpty()) {
            return new ClientMetricsSubscriptions(List.of());
        }
        timeoutMs = (int) deadline.remaining().toMillis();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources,
                new DescribeConfigsOptions().timeoutMs(timeoutMs)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        List<Subscription> out = new ArrayList<>();
        configs.forEach((resource, config) -> out.add(new Subscription(resource.name(), list(config, "metrics"),
                intervalMs(config), list(config, "match"))));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return new ClientMetricsSubscriptions(out);
    }

    /**
     * Whether the client with these attributes ({@code client_id}, {@code client_instance_id}, ...) can push any of
     * {@code names} within {@code timeLeft}: an obstacle names why not; the interval is the shortest it may get.
     */
    Verdict check(Map<String, String> client, Collection<String> names, Duration timeLeft) {
        String who = "client_id=" + client.get("client_id");
        List<Subscription> applying = subscriptions.stream().filter(s -> mayApply(s, client)).toList();
        if (applying.isEmpty()) {
            return Verdict.blocked("no client-metrics subscription applies to " + who + " ("
                    + (subscriptions.isEmpty() ? "the cluster has none" : "the cluster has " + names(subscriptions))
                    + ")", Optional.empty());
        }
        int intervalMs = applying.stream().mapToInt(Subscription::intervalMs).min().orElseThrow();
        if (applying.stream().noneMatch(s -> requestsAny(s, names))) {
            return Verdict.blocked("the client-metrics subscription(s) " + names(applying) + " applying to "
                    + who + " request none of lagsnap's metrics (they request "
                    + applying.stream().flatMap(s -> s.metrics().stream()).distinct().toList()
                    + "; lagsnap's start with " + TelemetrySeries.NAME_PREFIX + ")", Optional.of(intervalMs));
        }
        if (intervalMs / 2 > timeLeft.toMillis()) {
            return Verdict.blocked("the push interval for " + who + " is " + intervalMs + " ms (subscription(s) "
                    + names(applying) + "); the first push comes 0.5-1.5 times that after subscribing, later than the "
                    + timeLeft.toMillis() + " ms left before the deadline: lower interval.ms, e.g. to 1000",
                    Optional.of(intervalMs));
        }
        return new Verdict(Optional.empty(), Optional.of(intervalMs), Optional.empty());
    }

    private static boolean mayApply(Subscription s, Map<String, String> client) {
        for (String selector : s.match()) {
            // the broker splits on '=' and requires exactly two parts, so this is well formed
            String[] pair = selector.split("=");
            String attribute = pair[0].trim();
            if (UNKNOWN_ATTRIBUTES.contains(attribute)) {
                continue;
            }
            String value = client.get(attribute);
            if (value == null || !Pattern.compile(pair[1].trim()).matcher(value).matches()) {
                return false;
            }
        }
        return true;
    }

    private static boolean requestsAny(Subscription s, Collection<String> names) {
        return s.metrics().contains(ALL_METRICS)
                || s.metrics().stream().anyMatch(prefix -> names.stream().anyMatch(n -> n.startsWith(prefix)));
    }

    private static int intervalMs(Config config) {
        ConfigEntry entry = config.get("interval.ms");
        return entry == null || entry.value() == null ? DEFAULT_INTERVAL_MS : Integer.parseInt(entry.value());
    }

    private static List<String> list(Config config, String key) {
        ConfigEntry entry = config.get(key);
        if (entry == null || entry.value() == null || entry.value().isBlank()) {
            return List.of();
        }
        return Arrays.stream(entry.value().split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static String names(List<Subscription> subscriptions) {
        return subscriptions.stream().map(Subscription::name).collect(Collectors.joining(", "));
    }
}
