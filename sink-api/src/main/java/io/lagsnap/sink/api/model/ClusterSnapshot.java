package io.lagsnap.sink.api.model;

import io.lagsnap.sink.api.metrics.MetricFamily;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one cycle learned about one cluster. Immutable; build one with {@link #builder}.
 *
 * @param time when the watermarks were read: the "now" of every lag in this cluster
 * @param up false when the cluster could not be reached or listed at all (its {@code error} says why)
 * @param partial true when the deadline cut a phase short; rows then lack what that phase would have added
 * @param phaseDurations time spent per phase, in cycle order: from issuing the
 *     phase's requests until its last answer arrived (or the cycle stopped waiting). Phases that need nothing from
 *     each other run at the same time (describe with offsets, watermarks with configs), so durations overlap and
 *     may add up to more than {@code duration}
 * @param adminRequests requests the Admin client sent to the cluster (the sampler's are in {@code sampling})
 * @param families the cluster's metric families (klag-exporter's and lagsnap's per-cluster self-metrics), derived
 *     once by the runner from the rest of this record; every metric sink encodes these
 * @param trends the trends of the groups and of their topics (topic granularity) or partitions (partition
 *     granularity) this snapshot saw, when the run keeps a trend state ({@code [run] state}); empty otherwise.
 *     Derived once by the runner with the families
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
        Map<Phase, Duration> phaseDurations,
        Duration duration,
        long adminRequests,
        SamplingStats sampling,
        List<ItemError> errors,
        List<MetricFamily> families,
        List<SeriesTrend> trends) {

    public ClusterSnapshot {
        families = List.copyOf(families);
        trends = List.copyOf(trends);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        rows = List.copyOf(rows);
        groups = List.copyOf(groups);
        groupTopics = List.copyOf(groupTopics);
        partitions = List.copyOf(partitions);
        phaseDurations = Collections.unmodifiableMap(new LinkedHashMap<>(phaseDurations));
        errors = List.copyOf(errors);
    }

    /** This cluster with its derived metric families. */
    public ClusterSnapshot withFamilies(List<MetricFamily> derived) {
        return toBuilder().families(derived).build();
    }

    /** A builder for the cluster {@code name}; see {@link Builder} for what it starts with. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** This cluster as a builder, to change a few components. */
    public Builder toBuilder() {
        return new Builder(name).labels(labels).granularity(granularity).time(time).up(up).error(error)
                .partial(partial).rows(rows).groups(groups).groupTopics(groupTopics).partitions(partitions)
                .phaseDurations(phaseDurations).duration(duration).adminRequests(adminRequests).sampling(sampling)
                .errors(errors).families(families).trends(trends);
    }

    /**
     * Builds a {@link ClusterSnapshot}. It starts as a reachable, complete cluster with nothing in it: no labels,
     * {@link Granularity#TOPIC} (klag-exporter's default), {@code up} true, no error, not partial, no rows, groups,
     * group-topics, partitions, phase durations, errors, metric families or trends, a {@link Duration#ZERO}
     * duration, no Admin requests and {@link SamplingStats#NONE}. {@code time} has no default: {@link #build()}
     * requires it.
     */
    public static final class Builder {
        private final String name;
        private Map<String, String> labels = Map.of();
        private Granularity granularity = Granularity.TOPIC;
        private Instant time;
        private boolean up = true;
        private String error;
        private boolean partial;
        private List<PartitionLag> rows = List.of();
        private List<GroupLag> groups = List.of();
        private List<GroupTopicLag> groupTopics = List.of();
        private List<PartitionOffsets> partitions = List.of();
        private Map<Phase, Duration> phaseDurations = Map.of();
        private Duration duration = Duration.ZERO;
        private long adminRequests;
        private SamplingStats sampling = SamplingStats.NONE;
        private List<ItemError> errors = List.of();
        private List<MetricFamily> families = List.of();
        private List<SeriesTrend> trends = List.of();

        private Builder(String name) {
            this.name = name;
        }

        public Builder labels(Map<String, String> v) {
            labels = v;
            return this;
        }

        public Builder granularity(Granularity v) {
            granularity = v;
            return this;
        }

        public Builder time(Instant v) {
            time = v;
            return this;
        }

        public Builder up(boolean v) {
            up = v;
            return this;
        }

        public Builder error(String v) {
            error = v;
            return this;
        }

        public Builder partial(boolean v) {
            partial = v;
            return this;
        }

        public Builder rows(List<PartitionLag> v) {
            rows = v;
            return this;
        }

        public Builder groups(List<GroupLag> v) {
            groups = v;
            return this;
        }

        public Builder groupTopics(List<GroupTopicLag> v) {
            groupTopics = v;
            return this;
        }

        public Builder partitions(List<PartitionOffsets> v) {
            partitions = v;
            return this;
        }

        public Builder phaseDurations(Map<Phase, Duration> v) {
            phaseDurations = v;
            return this;
        }

        public Builder duration(Duration v) {
            duration = v;
            return this;
        }

        public Builder adminRequests(long v) {
            adminRequests = v;
            return this;
        }

        public Builder sampling(SamplingStats v) {
            sampling = v;
            return this;
        }

        public Builder errors(List<ItemError> v) {
            errors = v;
            return this;
        }

        public Builder families(List<MetricFamily> v) {
            families = v;
            return this;
        }

        public Builder trends(List<SeriesTrend> v) {
            trends = v;
            return this;
        }

        /** @throws NullPointerException when no {@code time} was set */
        public ClusterSnapshot build() {
            Objects.requireNonNull(time, () -> "ClusterSnapshot " + name + ": time is required");
            return new ClusterSnapshot(name, labels, granularity, time, up, error, partial, rows, groups, groupTopics,
                    partitions, phaseDurations, duration, adminRequests, sampling, errors, families, trends);
        }
    }

    public long compactionDetectedCount() {
        return rows.stream().filter(PartitionLag::compactionDetected).count();
    }

    public long dataLossPartitionCount() {
        return rows.stream().filter(PartitionLag::dataLossDetected).count();
    }
}
