package io.lagsnap.sink.api.model;

import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one cycle learned about one cluster. Immutable.
 *
 * @param time when the watermarks were read: the "now" of every lag in this cluster
 * @param up false when the cluster could not be reached or listed at all (its {@code error} says why)
 * @param partial true when the deadline cut a phase short; rows then lack what that phase would have added
 * @param phaseDurations time spent per phase, in phase order ("list", "describe", "offsets", ...): from issuing the
 *     phase's requests until its last answer arrived (or the cycle stopped waiting). Phases that need nothing from
 *     each other run at the same time (describe with offsets, watermarks with configs), so durations overlap and
 *     may add up to more than {@code duration}
 * @param adminRequests requests the Admin client sent to the cluster (the sampler's are in {@code sampling})
 * @param families the cluster's metric families (klag-exporter's and lagsnap's per-cluster self-metrics), derived
 *     once by the runner from the rest of this record; every metric sink encodes these
 */
public record ClusterSnapshot(
        String name,
        Map<String, String> labels,
        Granularity granularity,
        Instant time,
        boolean up,
        String error,
        boolean partial,
        List<PartitionLag> rows,
        List<GroupLag> groups,
        List<GroupTopicLag> groupTopics,
        List<PartitionOffsets> partitions,
        Map<String, Duration> phaseDurations,
        Duration duration,
        long adminRequests,
        SamplingStats sampling,
        List<ItemError> errors,
        List<MetricFamily> families) {

    public ClusterSnapshot {
        families = List.copyOf(families);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        rows = List.copyOf(rows);
        groups = List.copyOf(groups);
        groupTopics = List.copyOf(groupTopics);
        partitions = List.copyOf(partitions);
        phaseDurations = Collections.unmodifiableMap(new LinkedHashMap<>(phaseDurations));
        errors = List.copyOf(errors);
    }

    /** A cluster as collected, before its metric families are derived. */
    public ClusterSnapshot(String name, Map<String, String> labels, Granularity granularity, Instant time, boolean up,
                           String error, boolean partial, List<PartitionLag> rows, List<GroupLag> groups,
                           List<GroupTopicLag> groupTopics, List<PartitionOffsets> partitions,
                           Map<String, Duration> phaseDurations, Duration duration, long adminRequests,
                           SamplingStats sampling, List<ItemError> errors) {
        this(name, labels, granularity, time, up, error, partial, rows, groups, groupTopics, partitions,
                phaseDurations, duration, adminRequests, sampling, errors, List.of());
    }

    /** This cluster with its derived metric families. */
    public ClusterSnapshot withFamilies(List<MetricFamily> derived) {
        return new ClusterSnapshot(name, labels, granularity, time, up, error, partial, rows, groups, groupTopics,
                partitions, phaseDurations, duration, adminRequests, sampling, errors, derived);
    }

    /** A cluster that could not be collected at all: it still reports up=0 to every sink. */
    public static ClusterSnapshot down(String name, Map<String, String> labels, Granularity granularity,
                                       Instant time, String error, Map<String, Duration> phaseDurations,
                                       Duration duration, List<ItemError> errors) {
        return new ClusterSnapshot(name, labels, granularity, time, false, error, false, List.of(), List.of(),
                List.of(), List.of(), phaseDurations, duration, 0, SamplingStats.NONE, errors);
    }

    public long compactionDetectedCount() {
        return rows.stream().filter(PartitionLag::compactionDetected).count();
    }

    public long dataLossPartitionCount() {
        return rows.stream().filter(PartitionLag::dataLossDetected).count();
    }
}
