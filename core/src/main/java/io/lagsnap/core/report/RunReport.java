package io.lagsnap.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Shard;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one run, the same in every adapter: each cluster's and each sink's result and timings, and the
 * exit code they add up to.
 *
 * <p>The JSON report stays bounded however many item errors a cluster has (a topic pattern the principal cannot
 * read yields one per partition; a Lambda response is limited to 6 MB): each cluster's {@code errors} array holds
 * the first {@value #ERRORS_PER_KIND} errors of each phase and kind, in collection order, and
 * {@code errors_total} / {@code errors_omitted} count all of them and those left out. The log's per-kind warning
 * and the {@code lagsnap_*} self-metrics carry the totals as well.
 *
 * @param metrics the run's own metric families ({@code lagsnap_sink_*}, {@code lagsnap_run_*}), known only once the
 *     sinks ran; sinks publish them in {@code Sink.deliverReport}
 */
public record RunReport(String runId, Instant startedAt, Duration duration, Shard shard,
                        List<ClusterOutcome> clusters, List<SinkOutcome> sinks, List<MetricFamily> metrics) {
    /** Every cluster collected in full and every sink delivered. */
    public static final int EXIT_OK = 0;
    /** Some cluster or sink failed, or a result was partial; the rest was still delivered. */
    public static final int EXIT_PARTIAL = 1;
    /** The configuration is invalid; nothing was contacted. */
    public static final int EXIT_CONFIG = 2;
    /** No sink delivered anything. */
    public static final int EXIT_NOTHING_DELIVERED = 3;

    /** Item errors listed per cluster, phase and kind in the JSON report; the rest are only counted. */
    public static final int ERRORS_PER_KIND = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunReport {
        clusters = List.copyOf(clusters);
        sinks = List.copyOf(sinks);
        metrics = List.copyOf(metrics);
    }

    public int exitCode() {
        return exitCode(clusters, sinks);
    }

    /** What the clusters' and sinks' outcomes add up to. */
    public static int exitCode(List<ClusterOutcome> clusters, List<SinkOutcome> sinks) {
        if (!sinks.isEmpty() && sinks.stream().noneMatch(SinkOutcome::delivered)) {
            return EXIT_NOTHING_DELIVERED;
        }
        boolean allGood = clusters.stream().allMatch(c -> c.up() && !c.partial())
                && sinks.stream().allMatch(SinkOutcome::delivered);
        return allGood ? EXIT_OK : EXIT_PARTIAL;
    }

    public boolean partial() {
        return clusters.stream().anyMatch(ClusterOutcome::partial);
    }

    public ObjectNode toJsonTree() {
        ObjectNode root = JSON.createObjectNode();
        root.put("run_id", runId);
        root.put("started_at", startedAt.toString());
        root.put("duration_ms", duration.toMillis());
        root.put("shard", shard.toString());
        root.put("exit_code", exitCode());
        root.put("partial", partial());
        ArrayNode cs = root.putArray("clusters");
        for (ClusterOutcome c : clusters) {
            ObjectNode n = cs.addObject();
            n.put("name", c.name());
            n.put("up", c.up());
            n.put("partial", c.partial());
            if (c.error() != null) {
                n.put("error", c.error());
            }
            n.put("groups", c.groups());
            n.put("partitions", c.partitions());
            n.put("rows", c.rows());
            n.put("duration_ms", c.duration().toMillis());
            ObjectNode phases = n.putObject("phases_ms");
            c.phases().forEach((k, v) -> phases.put(k.label(), v.toMillis()));
            n.put("admin_requests", c.adminRequests());
            ObjectNode s = n.putObject("sampling");
            s.put("requested", c.sampling().requested());
            s.put("sampled", c.sampling().sampled());
            s.put("missed", c.sampling().missed());
            s.put("clock_skewed", c.sampling().clockSkewed());
            s.put("fetch_requests", c.sampling().fetchRequests());
            s.put("bytes_fetched", c.sampling().bytesFetched());
            n.put("errors_total", c.errors().size());
            ArrayNode errors = n.putArray("errors");
            Map<List<Object>, Integer> listed = new HashMap<>();
            for (ItemError e : c.errors()) {
                if (listed.merge(List.of(e.phase(), e.kind()), 1, Integer::sum) <= ERRORS_PER_KIND) {
                    errors.addObject().put("phase", e.phase().label()).put("item", e.item()).put("kind", e.kind().label())
                            .put("message", e.message());
                }
            }
            n.put("errors_omitted", c.errors().size() - errors.size());
        }
        ArrayNode ss = root.putArray("sinks");
        for (SinkOutcome s : sinks) {
            ss.addObject().put("name", s.name()).put("type", s.type()).put("delivered", s.delivered())
                    .put("detail", s.detail()).put("duration_ms", s.duration().toMillis());
        }
        return root;
    }

    public String toJson() {
        return toJsonTree().toString();
    }
}
