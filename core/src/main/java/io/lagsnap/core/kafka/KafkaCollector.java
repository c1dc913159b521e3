package io.lagsnap.core.kafka;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.core.config.Secrets;
import io.lagsnap.core.math.LagMath;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.PartitionOffsets;
import io.lagsnap.sink.api.model.SamplingStats;
import io.lagsnap.sink.api.model.Shard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection cycle for one cluster. It owns all of the cluster's Kafka I/O: list, describe, committed offsets,
 * watermarks, topic configs (each one batched Admin call) and timestamp sampling (one consumer). Each phase is
 * timed; failed items are carried as errors and the rest of the cycle goes on.
 */
public final class KafkaCollector {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCollector.class);
    private static final Comparator<PartitionLag> ROW_ORDER = Comparator.comparing(PartitionLag::group)
            .thenComparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition);

    private final ClusterConfig cluster;
    private final ExporterConfig exporter;
    private final Shard shard;
    private final Map<String, Boolean> keptTopics = new HashMap<>();
    private final Function<Properties, Admin> adminFactory;

    public KafkaCollector(ClusterConfig cluster, ExporterConfig exporter, Shard shard) {
        this(cluster, exporter, shard, Admin::create);
    }

    /** With another way to open the Admin client: fault tests wrap the real one to act between phases. */
    KafkaCollector(ClusterConfig cluster, ExporterConfig exporter, Shard shard,
                   Function<Properties, Admin> adminFactory) {
        this.cluster = cluster;
        this.exporter = exporter;
        this.shard = shard;
        this.adminFactory = adminFactory;
    }

    public ClusterSnapshot collect(Deadline deadline) {
        long start = System.nanoTime();
        Phases phases = new Phases();
        List<ItemError> errors = new ArrayList<>();
        LOG.debug("cluster {}: connecting with {}", cluster.name(), Secrets.redacted(cluster.consumerProperties()));
        var unusable = new ConnectBudget(cluster, exporter.performance()).check(deadline);
        if (unusable.isPresent()) {
            return ClusterSnapshot.down(cluster.name(), cluster.labels(), exporter.granularity(), Instant.now(),
                    unusable.get(), phases.durations(), elapsed(start), errors);
        }
        Admin admin;
        try {
            admin = adminFactory.apply(KafkaClients.adminProperties(cluster, exporter.performance()));
        } catch (KafkaException e) {
            // consumer_properties the client refuses (JAAS syntax, a missing login module or truststore): the cause
            // says which, the top-level "Failed to create new KafkaAdminClient" does not
            return ClusterSnapshot.down(cluster.name(), cluster.labels(), exporter.granularity(), Instant.now(),
                    "cannot create the Kafka client: " + ItemErrors.message(e), phases.durations(), elapsed(start),
                    errors);
        }
        try {
            AdminCalls calls = new AdminCalls(admin, exporter.performance(), deadline, errors);

            Collection<String> listed;
            try {
                listed = phases.time("list", () -> {
                    try {
                        return calls.listGroups();
                    } catch (Exception e) {
                        throw new ListFailed(e);
                    }
                });
            } catch (ListFailed e) {
                Throwable cause = e.getCause() instanceof java.util.concurrent.ExecutionException
                        ? e.getCause().getCause() : e.getCause();
                return ClusterSnapshot.down(cluster.name(), cluster.labels(), exporter.granularity(), Instant.now(),
                        "cannot list consumer groups: " + ItemErrors.message(cause), phases.durations(),
                        elapsed(start), errors);
            }
            List<String> groups = listed.stream().filter(cluster::keepsGroup).filter(shard::owns).sorted().toList();

            Map<String, ConsumerGroupDescription> described = groups.isEmpty() ? Map.of()
                    : phases.time("describe", () -> calls.describe(groups));
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = groups.isEmpty() ? Map.of()
                    : phases.time("offsets", () -> calls.committedOffsets(groups));

            Map<String, GroupState> states = new LinkedHashMap<>();
            Map<String, Map<TopicPartition, Member>> members = new HashMap<>();
            for (String g : groups) {
                ConsumerGroupDescription d = described.get(g);
                states.put(g, d == null ? GroupState.UNKNOWN : GroupState.fromKafka(d.groupState().toString()));
                members.put(g, d == null ? Map.of() : assignments(d));
            }

            Set<TopicPartition> partitions = new HashSet<>();
            committed.values().forEach(m -> m.keySet().stream().filter(this::keepsPartition).forEach(partitions::add));
            members.values().forEach(m -> m.keySet().stream().filter(this::keepsPartition).forEach(partitions::add));

            Map<TopicPartition, long[]> watermarks = partitions.isEmpty() ? Map.of()
                    : phases.time("watermarks", () -> calls.watermarks(partitions));
            Instant now = Instant.now();
            Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
            Set<String> compacted = topics.isEmpty() ? Set.of()
                    : phases.time("configs", () -> calls.compactedTopics(topics));

            List<Position> positions = positions(groups, committed, watermarks);
            boolean outOfTime = deadline.expired();
            Sampled sampled = exporter.timestampSampling().enabled() && !outOfTime
                    ? sampleTimestamps(positions, watermarks, now, deadline, phases, errors)
                    : Sampled.NONE;
            Map<TimestampSampler.Position, TimestampSampler.Sample> samples = sampled.samples();
            boolean partial = outOfTime || deadline.expired() && sampled.incomplete();

            List<PartitionLag> rows = new ArrayList<>(positions.size());
            for (Position p : positions) {
                TimestampSampler.Sample s = samples.get(new TimestampSampler.Position(p.tp, p.sampleOffset()));
                rows.add(LagMath.row(p.group, states.get(p.group), p.tp.topic(), p.tp.partition(), p.committed,
                        p.low, p.high, members.get(p.group).getOrDefault(p.tp, Member.NONE),
                        compacted.contains(p.tp.topic()), s == null ? null : s.offset(),
                        s == null ? null : s.timestampMs(), now));
            }
            rows.sort(ROW_ORDER);
            List<PartitionOffsets> offsets = watermarks.entrySet().stream()
                    .map(e -> new PartitionOffsets(e.getKey().topic(), e.getKey().partition(), e.getValue()[0],
                            e.getValue()[1]))
                    .sorted(Comparator.comparing(PartitionOffsets::topic).thenComparingInt(PartitionOffsets::partition))
                    .toList();
            return new ClusterSnapshot(cluster.name(), cluster.labels(), exporter.granularity(), now, true, null,
                    partial, rows, LagMath.groupAggregates(rows, states), LagMath.groupTopicAggregates(rows),
                    offsets, phases.durations(), elapsed(start), requestsSent(admin), sampled.stats(), errors);
        } finally {
            // every call has completed or timed out by now: nothing pending is worth waiting for
            admin.close(Duration.ZERO);
        }
    }

    /** Requests the Admin client sent (its own request-total, summed over brokers), for the self-metrics. */
    private static long requestsSent(Admin admin) {
        return (long) admin.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("request-total") && e.getKey().tags().size() == 1
                        && e.getValue().metricValue() instanceof Double)
                .mapToDouble(e -> (Double) e.getValue().metricValue()).sum();
    }

    /** What sampling found, and whether it ran out of time with positions left. */
    private record Sampled(Map<TimestampSampler.Position, TimestampSampler.Sample> samples, SamplingStats stats,
                           boolean incomplete) {
        static final Sampled NONE = new Sampled(Map.of(), SamplingStats.NONE, false);
    }

    /** The sampling phase: the record timestamps at every position with lag, within the sampling budget. */
    private Sampled sampleTimestamps(List<Position> positions, Map<TopicPartition, long[]> watermarks, Instant now,
                                     Deadline deadline, Phases phases, List<ItemError> errors) {
        Map<TopicPartition, NavigableSet<Long>> wanted = wantedOffsets(positions);
        if (wanted.isEmpty()) {
            return Sampled.NONE;
        }
        Deadline budget = deadline.within(exporter.timestampSampling().fetchTimeout());
        TimestampSampler.Result result = phases.time("sampling", () -> new TimestampSampler(
                KafkaClients.base(cluster, "lagsnap-sampler"), exporter.timestampSampling().maxPartitionsPerWave())
                .sample(wanted, highWatermarks(watermarks), budget));
        errors.addAll(result.errors());
        long requested = wanted.values().stream().mapToLong(Set::size).sum();
        long skewed = result.samples().values().stream()
                .filter(s -> s.timestampMs() != null && LagMath.isFuture(s.timestampMs(), now)).count();
        long sampled = result.samples().size();
        return new Sampled(result.samples(), new SamplingStats(requested, sampled, requested - sampled, skewed,
                result.fetchRequests(), result.bytesFetched()), sampled < requested);
    }

    /** The topic filters' verdicts: their regexes run once per topic, not once per group-partition. */
    private boolean keepsPartition(TopicPartition tp) {
        return keptTopics.computeIfAbsent(tp.topic(), cluster::keepsTopic);
    }

    private static Map<TopicPartition, Member> assignments(ConsumerGroupDescription d) {
        Map<TopicPartition, Member> out = new HashMap<>();
        for (MemberDescription m : d.members()) {
            Member member = new Member(m.host(), m.consumerId(), m.clientId());
            m.assignment().topicPartitions().forEach(tp -> out.put(tp, member));
        }
        return out;
    }

    /** A group's committed position on a partition whose watermarks are known. */
    private record Position(String group, TopicPartition tp, long committed, long low, long high,
                            boolean skipDataLoss) {
        /** Under data loss the oldest record still there is at the low watermark. */
        long sampleOffset() {
            return Math.max(committed, low);
        }

        boolean needsSample() {
            return LagMath.lag(committed, high) > 0 && !(skipDataLoss && committed < low);
        }
    }

    private List<Position> positions(List<String> groups, Map<String, Map<TopicPartition, OffsetAndMetadata>> committed,
                                     Map<TopicPartition, long[]> watermarks) {
        boolean skipDataLoss = exporter.timestampSampling().skipDataLossPartitions();
        List<Position> out = new ArrayList<>();
        for (String g : groups) {
            committed.getOrDefault(g, Map.of()).forEach((tp, om) -> {
                long[] w = watermarks.get(tp);
                if (om != null && w != null && keepsPartition(tp)) {
                    out.add(new Position(g, tp, om.offset(), w[0], w[1], skipDataLoss));
                }
            });
        }
        return out;
    }

    /** Distinct offsets per partition: groups at the same offset share one sample. */
    private static Map<TopicPartition, NavigableSet<Long>> wantedOffsets(List<Position> positions) {
        Map<TopicPartition, NavigableSet<Long>> wanted = new HashMap<>();
        for (Position p : positions) {
            if (p.needsSample()) {
                wanted.computeIfAbsent(p.tp, tp -> new TreeSet<>()).add(p.sampleOffset());
            }
        }
        return wanted;
    }

    private static Map<TopicPartition, Long> highWatermarks(Map<TopicPartition, long[]> watermarks) {
        Map<TopicPartition, Long> out = new HashMap<>();
        watermarks.forEach((tp, w) -> out.put(tp, w[1]));
        return out;
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Carries a failed listing out of the timed phase. */
    private static final class ListFailed extends RuntimeException {
        ListFailed(Throwable cause) {
            super(cause);
        }
    }
}
