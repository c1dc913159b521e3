package io.lagsnap.core.selfmetrics;

import io.lagsnap.core.metrics.MetricFamily;
import io.lagsnap.core.model.ClusterSnapshot;
import io.lagsnap.core.model.ItemError;
import io.lagsnap.core.model.SamplingStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The self-metrics of one cluster's collection, recorded from its {@link ClusterSnapshot}: the time of each phase,
 * the failed items by phase and kind, and what timestamp sampling did. {@code MetricFamilies.of(cluster)} appends
 * them to the lag metrics, so every sink carries them, labelled like the cluster's lag series.
 */
public final class ClusterMetrics {
    public static final String PHASE_DURATION = "lagsnap_phase_duration_seconds";
    public static final String ERRORS = "lagsnap_collection_errors_total";
    public static final String ADMIN_REQUESTS = "lagsnap_admin_requests_total";
    public static final String SAMPLING_REQUESTED = "lagsnap_sampling_requested_total";
    public static final String SAMPLING_SAMPLED = "lagsnap_sampling_sampled_total";
    public static final String SAMPLING_MISSED = "lagsnap_sampling_missed_total";
    public static final String SAMPLING_CLOCK_SKEWED = "lagsnap_sampling_clock_skewed_total";
    public static final String SAMPLING_FETCH_REQUESTS = "lagsnap_sampling_fetch_requests_total";
    public static final String SAMPLING_FETCHED_BYTES = "lagsnap_sampling_fetched_bytes_total";

    private ClusterMetrics() {
    }

    public static List<MetricFamily> of(ClusterSnapshot c) {
        SelfMetrics m = new SelfMetrics();
        c.phaseDurations().forEach((phase, took) -> m.gauge(PHASE_DURATION,
                "Time one collection phase took (list, describe, offsets, watermarks, configs, sampling)",
                labels(c, "phase", phase)).set(FamilyExporter.seconds(took)));
        for (ItemError e : c.errors()) {
            m.counter(ERRORS, "Groups, topics or partitions that failed in this run's collection, by phase and kind",
                    labels(c, "phase", e.phase(), "kind", e.kind())).increment();
        }
        if (c.up()) {
            m.counter(ADMIN_REQUESTS, "Requests the Admin client sent for this run's collection (list, describe, "
                    + "offsets, watermarks, configs and their metadata)", labels(c)).add(c.adminRequests());
            SamplingStats s = c.sampling();
            m.counter(SAMPLING_REQUESTED, "Committed positions that needed a record timestamp in this run",
                    labels(c)).add(s.requested());
            m.counter(SAMPLING_SAMPLED, "Record timestamps read (samples taken) in this run", labels(c))
                    .add(s.sampled());
            m.counter(SAMPLING_MISSED, "Positions left without a timestamp (budget spent or fetch failed)",
                    labels(c)).add(s.missed());
            m.counter(SAMPLING_CLOCK_SKEWED, "Samples whose timestamp lay in the future (time lag reported as 0)",
                    labels(c)).add(s.clockSkewed());
            m.counter(SAMPLING_FETCH_REQUESTS, "Fetch requests the timestamp sampler sent in this run", labels(c))
                    .add(s.fetchRequests());
            m.counter(SAMPLING_FETCHED_BYTES, "Record bytes fetched for timestamp sampling in this run", labels(c))
                    .add(s.bytesFetched());
        }
        return m.families();
    }

    /** As the lag metrics: cluster_name, then the metric's own labels, then the cluster's custom labels. */
    private static Map<String, String> labels(ClusterSnapshot c, String... own) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("cluster_name", c.name());
        for (int i = 0; i < own.length; i += 2) {
            labels.put(own[i], own[i + 1]);
        }
        labels.putAll(c.labels());
        return labels;
    }
}
