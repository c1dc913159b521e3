package io.lagsnap.sink.pushgateway;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkMeter;
import io.lagsnap.sink.api.config.ServerText;
import io.lagsnap.sink.api.format.PrometheusText;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes each cluster's metric families with one PUT to its own group (job, cluster_name, shard unless the run
 * covers all groups, plus the configured labels). A PUT replaces the group whole, so series of groups and
 * partitions that disappeared since the last run vanish instead of going stale. The run's own metrics (each sink's
 * outcome, the run's duration and exit code) go to one more group, the same without cluster_name: they belong to
 * no cluster, and the next run's PUT replaces them too. Each body is streamed as {@link PrometheusText} encodes
 * it, one metric name at a time, so a push holds no copy of the exposition: 650,000 partition series push within a
 * 256 MB heap.
 */
final class PushgatewaySink implements Sink {
    static final String CLUSTER_LABEL = "cluster_name";
    static final String SHARD_LABEL = "shard";
    /**
     * Kept back from the run deadline so this sink reports its own failure rather than being cut off: covers the
     * connection watchdog's grace and leaves time to return.
     */
    private static final Duration MARGIN = BoundedConnections.GRACE.multipliedBy(2);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** client_java's message for a non-2xx answer: "Response code from URL was 503, response body: ...". */
    private static final Pattern STATUS = Pattern.compile(" was (\\d{3})(,|$)");

    private final PushTarget target;
    private final Shard shard;
    private final Duration timeout;
    private final int retries;
    private final SinkMeter meter;

    PushgatewaySink(PushTarget target, Shard shard, Duration timeout, int retries, SinkMeter meter) {
        this.target = target;
        this.shard = shard;
        this.timeout = timeout;
        this.retries = retries;
        this.meter = meter;
    }

    @Override
    public Delivery deliver(Snapshot snapshot, Deadline deadline) {
        Deadline by = deadline.minus(MARGIN);
        List<String> pushed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (ClusterSnapshot cluster : snapshot.clusters()) {
            List<MetricFamily> families = cluster.families();
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put(CLUSTER_LABEL, cluster.name());
            String outcome = push(labels, families, by);
            if (outcome == null) {
                pushed.add(cluster.name() + " (" + families.stream().mapToInt(f -> f.samples().size()).sum()
                        + " series)");
            } else {
                failed.add(cluster.name() + ": " + outcome);
            }
        }
        String where = target.url() + " job " + target.job();
        if (!failed.isEmpty()) {
            return Delivery.failed("pushgateway " + where + ": " + String.join("; ", failed)
                    + (pushed.isEmpty() ? "" : "; pushed " + String.join(", ", pushed)));
        }
        return Delivery.ok("pushed " + String.join(", ", pushed) + " to " + where);
    }

    /** Pushes the run's own metrics to the run group; a failure fails this sink in the report. */
    @Override
    public Delivery deliverReport(String runId, List<MetricFamily> runMetrics, Deadline deadline) {
        String outcome = push(new LinkedHashMap<>(), runMetrics, deadline.minus(MARGIN));
        return outcome == null ? Delivery.unchanged() : Delivery.failed("run group: " + outcome);
    }

    /**
     * Pushes one group ({@code labels}, then the shard and the configured labels), retrying transient failures;
     * null when pushed, else why not.
     */
    private String push(Map<String, String> labels, List<MetricFamily> families, Deadline by) {
        String clash = labelClash(families);
        if (clash != null) {
            return clash;
        }
        if (!shard.isAll()) {
            labels.put(SHARD_LABEL, shard.toString());
        }
        for (int attempt = 1; ; attempt++) {
            Duration budget = by.cap(timeout);
            if (budget.isZero()) {
                return "run deadline reached before attempt " + attempt;
            }
            long began = System.nanoTime();
            try {
                target.put(labels, budget, out -> PrometheusText.write(families, out));
                meter.request(Duration.ofNanos(System.nanoTime() - began), true);
                return null;
            } catch (IOException e) {
                meter.request(Duration.ofNanos(System.nanoTime() - began), false);
                String why = "attempt " + attempt + " of " + (retries + 1) + ": " + withBodyCut(e.getMessage());
                if (!retryable(e)) {
                    return why + " (not retried)";
                }
                if (attempt > retries) {
                    return why;
                }
                Duration backoff = backoff(attempt);
                if (by.remaining().compareTo(backoff) <= 0) {
                    return why + " (no time left to retry before the run deadline)";
                }
                meter.retry();
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return why + " (interrupted)";
                }
            }
        }
    }

    /**
     * The Pushgateway silently lets a grouping-key label overwrite a pushed label of the same name, which would
     * rewrite e.g. every {@code topic}; refuse instead.
     */
    private String labelClash(List<MetricFamily> families) {
        TreeSet<String> clashing = new TreeSet<>();
        for (MetricFamily f : families) {
            if (!f.samples().isEmpty()) {
                for (String name : f.samples().get(0).labels().names()) {
                    if (target.extraLabels().containsKey(name)) {
                        clashing.add(name);
                    }
                }
            }
        }
        return clashing.isEmpty() ? null : "grouping_key label(s) " + clashing
                + " would overwrite the metrics' own labels of that name; not pushed";
    }

    /** client_java's message with the server's body, which may echo the request, cut to an excerpt. */
    static String withBodyCut(String message) {
        String marker = "response body: ";
        int at = message == null ? -1 : message.indexOf(marker);
        return at < 0 ? ServerText.excerpt(message)
                : message.substring(0, at + marker.length()) + ServerText.excerpt(message.substring(at + marker.length()));
    }

    /** Network failures, timeouts, 429 and 5xx may pass; other 4xx (bad request, auth) will not. */
    static boolean retryable(IOException e) {
        Matcher m = STATUS.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) {
            return true;
        }
        int status = Integer.parseInt(m.group(1));
        return status == 429 || status >= 500;
    }

    /** 0.5 s, 1 s, 2 s, ... up to 5 s, each ±20 % so parallel shards do not retry in step. */
    private static Duration backoff(int attempt) {
        long base = Math.min(FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10), MAX_BACKOFF.toMillis());
        return Duration.ofMillis((long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }
}
