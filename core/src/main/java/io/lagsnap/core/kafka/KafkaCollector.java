package io.lagsnap.core.kafka;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ExporterConfig;
import io.lagsnap.core.config.Secrets;
import io.lagsnap.core.math.LagMath;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.Isolation;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.PartitionOffsets;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.SamplingStats;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Watermarks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection cycle for one cluster. It owns all of the cluster's Kafka I/O: list, describe, committed offsets,
 * watermarks, topic configs (each one batched Admin call) and timestamp sampling (one consumer). Phases that need
 * nothing from each other are in flight together ({@link AdminCalls} spreads them over its Admin clients). Each
 * phase is timed; failed items are carried as errors and the rest of the cycle goes on.
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
        ConnectBudget budget = new ConnectBudget(cluster, exporter.performance());
        List<Admin> lanes = new ArrayList<>();
        try {
            // built before the connect check: a client the properties cannot build is a config fault, whatever
            // the network says
            for (int lane = 0; lane < AdminCalls.LANES; lane++) {
                lanes.add(adminFactory.apply(KafkaClients.adminProperties(cluster, exporter.performance(), lane)));
            }
        } catch (KafkaException e) {
            lanes.forEach(a -> a.close(Duration.ZERO));
            // the client also refuses bootstrap servers of which none resolves; the connect check names the host
            var unusable = unresolvedBootstrap(e) ? budget.check(deadline) : Optional.<String>empty();
            // else consumer_properties the client refuses (JAAS syntax, a missing login module or truststore): the
            // cause says which, the top-level "Failed to create new KafkaAdminClient" does not
            return down(unusable.orElse("cannot create the Kafka client: " + ItemErrors.message(e)), phases, start,
                    errors);
        }
        try {
            var unusable = budget.check(deadline);
            if (unusable.isPresent()) {
                return down(unusable.get(), phases, start, errors);
            }
            return cycle(new AdminCalls(lanes, exporter.performance(), deadline, errors), deadline, phases, errors,
                    start);
        } finally {
            // every call has completed or timed out by now: nothing pending is worth waiting for
            lanes.forEach(a -> a.close(Duration.ZERO));
        }
    }

    /**
     * The phases, each started as soon as what it needs is in: list; describe and offsets together (both need only
     * the groups); watermarks and configs together (both need only the partitions, which the committed offsets and
     * the assignments name); then sampling, which needs the watermarks. The sampler's consumer is created while
     * describe and offsets are in flight and learns the leaders while the watermarks are.
     */
    private ClusterSnapshot cycle(AdminCalls calls, Deadline deadline, Phases phases, List<ItemError> errors,
                                  long start) {
        calls.connectLanes();
        AdminCalls.Listing listing = phases.time(Phase.LIST, calls::listGroups);
        if (listing.failure() != null) {
            return down("cannot list consumer groups: " + ItemErrors.message(listing.failure()), phases, start,
                    errors);
        }
        Map<String, GroupType> groups = kept(listing.groups());
        Map<Isolation, TimestampSampler> samplers = new EnumMap<>(Isolation.class);
        if (exporter.timestampSampling().enabled() && !groups.isEmpty()) {
            samplers.put(isolation(), sampler(isolation()));
        }
        TimestampSampler sampler = samplers.get(isolation());
        try {
            GroupPositions positions = describeAndFetchOffsets(calls, groups, phases,
                    sampler == null ? () -> { } : () -> sampler.open(deadline));
            PartitionReads read = readPartitions(calls, groups, positions, sampler, deadline, phases);
            Set<String> readCommittedShareGroups = read.configs().readCommittedShareGroups();
            if (sampler != null && !readCommittedShareGroups.isEmpty()) {
                samplers.computeIfAbsent(Isolation.READ_COMMITTED,
                        i -> readCommittedSampler(readCommittedShareGroups, positions.committed(), deadline));
            }
            Map<String, LagMath.GroupContext> contexts = contexts(groups, positions.described(),
                    readCommittedShareGroups);

            List<Target> targets = targets(contexts, positions.committed(), positions.described(), read.watermarks());
            boolean outOfTime = deadline.expired();
            Sampled sampled = sampler != null && !outOfTime
                    ? sampleTimestamps(samplers, targets, contexts, read.watermarks(), read.now(), deadline, phases,
                            errors)
                    : Sampled.NONE;
            boolean partial = outOfTime || deadline.expired() && sampled.incomplete();

            List<PartitionLag> rows = rows(targets, contexts, read.configs().compactedTopics(), sampled.samples(),
                    read.now());
            return ClusterSnapshot.builder(cluster.name()).labels(cluster.labels())
                    .granularity(exporter.granularity()).time(read.now()).partial(partial).rows(rows)
                    .groups(LagMath.groupAggregates(rows, contexts)).groupTopics(LagMath.groupTopicAggregates(rows))
                    .partitions(partitionOffsets(read.watermarks())).phaseDurations(phases.durations())
                    .duration(elapsed(start)).adminRequests(calls.requestsSent()).sampling(sampled.stats())
                    .errors(errors).build();
        } finally {
            samplers.values().forEach(TimestampSampler::close);
        }
    }

    /** What the watermarks and configs phases read, and the snapshot's time: when the watermarks were in. */
    private record PartitionReads(Map<TopicPartition, Watermarks> watermarks, Instant now,
                                  AdminCalls.Configs configs) {
    }

    /**
     * The watermarks and configs phases, in flight together: both need only the monitored partitions (and, under
     * {@code auto}, the share groups, whose isolation level is a group config). Meanwhile the sampler, if any,
     * learns those partitions' leaders.
     */
    private PartitionReads readPartitions(AdminCalls calls, Map<String, GroupType> groups, GroupPositions positions,
                                          TimestampSampler sampler, Deadline deadline, Phases phases) {
        Set<TopicPartition> partitions = monitoredPartitions(positions.committed(), positions.described());
        Set<String> topics = partitions.stream().map(TopicPartition::topic).collect(Collectors.toSet());
        InFlight<Map<TopicPartition, Watermarks>> watermarking = partitions.isEmpty() ? InFlight.done(Map.of())
                : phases.begin(Phase.WATERMARKS, () -> calls.watermarks(partitions));
        List<String> shareGroups = exporter.lagIsolation() != ExporterConfig.LagIsolation.AUTO ? List.of()
                : byType(groups).getOrDefault(GroupType.SHARE, List.of());
        InFlight<AdminCalls.Configs> configuring = topics.isEmpty()
                ? InFlight.done(new AdminCalls.Configs(Set.of(), Set.of()))
                : phases.begin(Phase.CONFIGS, () -> calls.configs(topics, shareGroups));
        if (sampler != null && !partitions.isEmpty()) {
            sampler.prepare(partitions, deadline);
        }
        Map<TopicPartition, Watermarks> watermarks = watermarking.join();
        Instant now = Instant.now();
        return new PartitionReads(watermarks, now, configuring.join());
    }

    private ClusterSnapshot down(String error, Phases phases, long start, List<ItemError> errors) {
        return ClusterSnapshot.builder(cluster.name()).labels(cluster.labels()).granularity(exporter.granularity())
                .time(Instant.now()).up(false).error(error).phaseDurations(phases.durations()).duration(elapsed(start))
                .errors(errors).build();
    }

    /** The listed groups this cluster's filters and this run's shard keep, sorted by name. */
    private Map<String, GroupType> kept(List<AdminCalls.Listed> listed) {
        Map<String, GroupType> out = new TreeMap<>();
        listed.stream().filter(l -> cluster.keepsGroup(l.group()) && shard.owns(l.group()))
                .forEach(l -> out.put(l.group(), l.type()));
        return out;
    }

    private static Map<GroupType, List<String>> byType(Map<String, GroupType> groups) {
        Map<GroupType, List<String>> out = new EnumMap<>(GroupType.class);
        groups.forEach((g, type) -> out.computeIfAbsent(type, t -> new ArrayList<>()).add(g));
        return out;
    }

    /** What the describe and offsets phases found: each group's description and committed positions. */
    private record GroupPositions(Map<String, AdminCalls.Described> described,
                                  Map<String, Map<TopicPartition, AdminCalls.Committed>> committed) {
    }

    /**
     * The describe and offsets phases, in flight together: each needs only the list of groups. This thread does
     * {@code meanwhile} while they are.
     */
    private static GroupPositions describeAndFetchOffsets(AdminCalls calls, Map<String, GroupType> groups,
                                                          Phases phases, Runnable meanwhile) {
        if (groups.isEmpty()) {
            return new GroupPositions(Map.of(), Map.of());
        }
        var describing = phases.begin(Phase.DESCRIBE, () -> describe(calls, groups));
        var fetching = phases.begin(Phase.OFFSETS, () -> offsets(calls, groups));
        meanwhile.run();
        return new GroupPositions(describing.join(), fetching.join());
    }

    /** One describe call per group type present, each batched over that type's groups. */
    private static InFlight<Map<String, AdminCalls.Described>> describe(AdminCalls calls,
                                                                       Map<String, GroupType> groups) {
        List<InFlight<Map<String, AdminCalls.Described>>> out = new ArrayList<>();
        byType(groups).forEach((type, names) -> out.add(switch (type) {
            case CONSUMER -> calls.describeConsumer(names);
            case CLASSIC -> calls.describeClassic(names);
            case SHARE -> calls.describeShare(names);
            case STREAMS -> calls.describeStreams(names);
        }));
        return InFlight.merged(out);
    }

    /** Positions: one offsets call per kind of offsets present (committed, share start, streams committed). */
    private static InFlight<Map<String, Map<TopicPartition, AdminCalls.Committed>>> offsets(
            AdminCalls calls, Map<String, GroupType> groups) {
        Map<GroupType, List<String>> byType = byType(groups);
        List<String> consumers = new ArrayList<>(byType.getOrDefault(GroupType.CONSUMER, List.of()));
        consumers.addAll(byType.getOrDefault(GroupType.CLASSIC, List.of()));
        List<InFlight<Map<String, Map<TopicPartition, AdminCalls.Committed>>>> out = new ArrayList<>();
        if (!consumers.isEmpty()) {
            out.add(calls.committedOffsets(consumers));
        }
        if (byType.containsKey(GroupType.SHARE)) {
            out.add(calls.shareOffsets(byType.get(GroupType.SHARE)));
        }
        if (byType.containsKey(GroupType.STREAMS)) {
            out.add(calls.streamsOffsets(byType.get(GroupType.STREAMS)));
        }
        return InFlight.merged(out);
    }

    private Map<String, LagMath.GroupContext> contexts(Map<String, GroupType> groups,
                                                       Map<String, AdminCalls.Described> described,
                                                       Set<String> readCommittedShareGroups) {
        Map<String, LagMath.GroupContext> out = new LinkedHashMap<>();
        groups.forEach((g, type) -> {
            AdminCalls.Described d = described.get(g);
            Isolation isolation = readCommittedShareGroups.contains(g) ? Isolation.READ_COMMITTED : isolation();
            out.put(g, new LagMath.GroupContext(g, type, d == null ? GroupState.UNKNOWN : d.state(), isolation));
        });
        return out;
    }

    /** Every kept partition a group has a position on or a member is assigned to. */
    private Set<TopicPartition> monitoredPartitions(Map<String, Map<TopicPartition, AdminCalls.Committed>> committed,
                                                    Map<String, AdminCalls.Described> described) {
        Set<TopicPartition> out = new HashSet<>();
        committed.values().forEach(m -> m.keySet().stream().filter(this::keepsPartition).forEach(out::add));
        described.values().forEach(d -> d.assignments().keySet().stream().filter(this::keepsPartition)
                .forEach(out::add));
        return out;
    }

    /** One row to be: a group's position on a kept partition whose watermarks are known (null: never committed). */
    private record Target(String group, TopicPartition tp, AdminCalls.Committed committed, Watermarks watermarks,
                          Member member) {
        /** Under data loss the oldest record still there is at the low watermark. */
        long sampleOffset() {
            return Math.max(committed.offset(), watermarks.low());
        }

        boolean needsSample(Isolation isolation, boolean skipDataLoss) {
            return committed != null && LagMath.lag(committed.offset(), watermarks.end(isolation)) > 0
                    && !(skipDataLoss && committed.offset() < watermarks.low());
        }
    }

    /**
     * Per group: its committed positions or, for a group that never committed anywhere, the partitions assigned to
     * its members, each only where the partition is kept and its watermarks are known. A group that committed on
     * some partitions keeps klag-exporter's rows: its other assigned partitions have none.
     */
    private List<Target> targets(Map<String, LagMath.GroupContext> groups,
                                 Map<String, Map<TopicPartition, AdminCalls.Committed>> committed,
                                 Map<String, AdminCalls.Described> described,
                                 Map<TopicPartition, Watermarks> watermarks) {
        List<Target> out = new ArrayList<>();
        for (String g : groups.keySet()) {
            addTargets(g, committed.getOrDefault(g, Map.of()),
                    described.containsKey(g) ? described.get(g).assignments() : Map.of(), watermarks, out);
        }
        return out;
    }

    // Per group and per row, the loops' bodies are methods: a cold JVM compiles a method after a few hundred calls,
    // but runs a loop of a method called once interpreted until tens of thousands of iterations.
    private void addTargets(String g, Map<TopicPartition, AdminCalls.Committed> positions,
                            Map<TopicPartition, Member> assigned, Map<TopicPartition, Watermarks> watermarks,
                            List<Target> out) {
        Set<TopicPartition> tps = new HashSet<>(positions.keySet());
        if (positions.isEmpty()) {
            // a group that never committed: a row per assigned partition instead of no rows at all
            tps.addAll(assigned.keySet());
        }
        for (TopicPartition tp : tps) {
            Watermarks w = watermarks.get(tp);
            if (w != null && keepsPartition(tp)) {
                out.add(new Target(g, tp, positions.get(tp), w, assigned.getOrDefault(tp, Member.NONE)));
            }
        }
    }

    private List<PartitionLag> rows(List<Target> targets, Map<String, LagMath.GroupContext> contexts,
                                    Set<String> compacted, Map<Isolation, Samples> samples, Instant now) {
        List<PartitionLag> rows = new ArrayList<>(targets.size());
        for (Target t : targets) {
            rows.add(row(t, contexts.get(t.group()), compacted, samples, now));
        }
        rows.sort(ROW_ORDER);
        return rows;
    }

    private static PartitionLag row(Target t, LagMath.GroupContext context, Set<String> compacted,
                                    Map<Isolation, Samples> samples, Instant now) {
        Samples read = samples.get(context.isolation());
        TimestampSampler.Sample s = t.committed() == null || read == null ? null
                : read.get(t.tp(), t.sampleOffset());
        AdminCalls.Committed c = t.committed();
        LagMath.Position position = new LagMath.Position(t.tp().topic(), t.tp().partition(),
                c == null ? null : c.offset(), c == null ? null : c.brokerLag(), t.watermarks(), t.member(),
                compacted.contains(t.tp().topic()));
        return LagMath.row(context, position,
                s == null ? LagMath.Sample.NONE : new LagMath.Sample(s.offset(), s.timestampMs()), now);
    }

    private static List<PartitionOffsets> partitionOffsets(Map<TopicPartition, Watermarks> watermarks) {
        return watermarks.entrySet().stream()
                .map(e -> new PartitionOffsets(e.getKey().topic(), e.getKey().partition(), e.getValue().low(),
                        e.getValue().high()))
                .sorted(Comparator.comparing(PartitionOffsets::topic).thenComparingInt(PartitionOffsets::partition))
                .toList();
    }

    /** What sampling found, by the isolation it was read with, and whether it ran out of time with positions left. */
    private record Sampled(Map<Isolation, Samples> samples, SamplingStats stats, boolean incomplete) {
        static final Sampled NONE = new Sampled(Map.of(), SamplingStats.NONE, false);
    }

    /** The configured isolation; under {@code auto} only a share group's own config can make it read_committed. */
    private Isolation isolation() {
        return exporter.lagIsolation() == ExporterConfig.LagIsolation.READ_COMMITTED
                ? Isolation.READ_COMMITTED : Isolation.READ_UNCOMMITTED;
    }

    /** A sampler reading as a consumer of {@code isolation} does: read_committed up to the last stable offset. */
    private TimestampSampler sampler(Isolation isolation) {
        IsolationLevel level = isolation == Isolation.READ_COMMITTED
                ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        return new TimestampSampler(KafkaClients.base(cluster, "lagsnap-sampler"),
                exporter.timestampSampling().maxPartitionsPerWave(), level);
    }

    /**
     * Under {@code auto}, the sampler of the share groups whose config says read_committed: the broker hands their
     * members the first committed record at or after the start offset, past any aborted ones, so their time lag is
     * read as a read_committed consumer reads. Known only once the configs are in, it starts connecting to their
     * partitions' leaders now, while the targets are built and the other sampler fetches.
     */
    private TimestampSampler readCommittedSampler(Set<String> groups,
                                                  Map<String, Map<TopicPartition, AdminCalls.Committed>> committed,
                                                  Deadline deadline) {
        TimestampSampler sampler = sampler(Isolation.READ_COMMITTED);
        Set<TopicPartition> partitions = new HashSet<>();
        groups.forEach(g -> partitions.addAll(committed.getOrDefault(g, Map.of()).keySet()));
        sampler.prepare(partitions, deadline);
        return sampler;
    }

    /**
     * The sampling phase: the record timestamps at every position with lag, within the sampling budget, each read by
     * the sampler of its group's isolation (in {@link Isolation} order: the configured one first, as it has been
     * connecting since the group list came in). A position two groups of different isolations share is read by
     * both: the record a read_committed consumer receives there can be a later one.
     */
    private Sampled sampleTimestamps(Map<Isolation, TimestampSampler> samplers, List<Target> targets,
                                     Map<String, LagMath.GroupContext> contexts,
                                     Map<TopicPartition, Watermarks> watermarks, Instant now, Deadline deadline,
                                     Phases phases, List<ItemError> errors) {
        boolean skipDataLoss = exporter.timestampSampling().skipDataLossPartitions();
        Map<Isolation, Map<TopicPartition, WantedOffsets>> gathered = new EnumMap<>(Isolation.class);
        for (Target t : targets) {
            want(gathered, t, contexts.get(t.group()).isolation(), skipDataLoss);
        }
        if (gathered.isEmpty()) {
            return Sampled.NONE;
        }
        Deadline budget = deadline.within(exporter.timestampSampling().fetchTimeout());
        Map<Isolation, Samples> samples = new EnumMap<>(Isolation.class);
        long requested = 0;
        long sampled = 0;
        long skewed = 0;
        long fetchRequests = 0;
        long bytesFetched = 0;
        for (Map.Entry<Isolation, Map<TopicPartition, WantedOffsets>> e : gathered.entrySet()) {
            Isolation isolation = e.getKey();
            Map<TopicPartition, long[]> wanted = new HashMap<>();
            Map<TopicPartition, Long> ends = new HashMap<>();
            e.getValue().forEach((tp, offsets) -> {
                wanted.put(tp, offsets.sortedDistinct());
                ends.put(tp, watermarks.get(tp).end(isolation));
            });
            TimestampSampler sampler = samplers.get(isolation);
            TimestampSampler.Result result = phases.time(Phase.SAMPLING, () -> sampler.sample(wanted, ends, budget));
            errors.addAll(result.errors());
            samples.put(isolation, result.samples());
            requested += wanted.values().stream().mapToLong(offsets -> offsets.length).sum();
            sampled += result.samples().size();
            skewed += result.samples().countTimestamps(ms -> LagMath.isFuture(ms, now));
            fetchRequests += result.fetchRequests();
            bytesFetched += result.bytesFetched();
        }
        return new Sampled(samples, new SamplingStats(requested, sampled, requested - sampled, skewed,
                fetchRequests, bytesFetched), sampled < requested);
    }

    // the loop's body as a method: compiled after a few hundred of the 50,000 targets instead of running interpreted
    private static void want(Map<Isolation, Map<TopicPartition, WantedOffsets>> gathered, Target t,
                             Isolation isolation, boolean skipDataLoss) {
        if (t.needsSample(isolation, skipDataLoss)) {
            gathered.computeIfAbsent(isolation, i -> new HashMap<>())
                    .computeIfAbsent(t.tp(), tp -> new WantedOffsets()).add(t.sampleOffset());
        }
    }

    /** The topic filters' verdicts: their regexes run once per topic, not once per group-partition. */
    private boolean keepsPartition(TopicPartition tp) {
        return keptTopics.computeIfAbsent(tp.topic(), cluster::keepsTopic);
    }

    /** The Admin client's own check that some bootstrap server resolves (ClientUtils), as opposed to a property fault. */
    private static boolean unresolvedBootstrap(KafkaException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.config.ConfigException
                    && String.valueOf(t.getMessage()).contains("No resolvable bootstrap urls")) {
                return true;
            }
        }
        return false;
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
