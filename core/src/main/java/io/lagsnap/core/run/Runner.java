package io.lagsnap.core.run;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.config.Secrets;
import io.lagsnap.core.kafka.KafkaCollector;
import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.core.report.ClusterOutcome;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.core.selfmetrics.RunMetrics;
import io.lagsnap.core.sink.SinkRegistry.NamedSink;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.core.state.StateStores;
import io.lagsnap.core.trends.TrendBounds;
import io.lagsnap.core.trends.TrendKeeper;
import io.lagsnap.core.trends.Trends;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.KafkaCluster;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkMeter;
import io.lagsnap.sink.api.config.Urls;
import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run: config → collect every cluster in parallel → one immutable {@link Snapshot} → every sink in parallel →
 * {@link RunReport}. Adapters call this and only turn the report into an exit code, a return value or a status.
 */
public final class Runner {
    private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
    /** Part of the run deadline kept back from collection so sinks always get time to deliver. */
    private static final Duration MAX_SINK_RESERVE = Duration.ofSeconds(15);
    /** How long a collector may take past its deadline to return partial results. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final SinkRegistry registry;
    private final StateStores stateStores;
    private final UnaryOperator<String> env;
    private final TrendBounds trendBounds;

    /** The state stores are those on the class path; trends are judged with {@link TrendBounds#DEFAULT}. */
    public Runner(SinkRegistry registry, UnaryOperator<String> env) {
        this(registry, env, TrendBounds.DEFAULT);
    }

    /**
     * As {@link #Runner(SinkRegistry, UnaryOperator)}, judging trends with {@code trendBounds}: for tests, so a STOP
     * threshold of seconds replaces the default 15 minutes that a test must not sleep through.
     */
    public Runner(SinkRegistry registry, UnaryOperator<String> env, TrendBounds trendBounds) {
        this.registry = registry;
        this.stateStores = StateStores.load();
        this.env = env;
        this.trendBounds = trendBounds;
    }

    /** The sinks on the class path and the process environment. */
    public static Runner standard() {
        return new Runner(SinkRegistry.load(), System::getenv);
    }

    public SinkRegistry registry() {
        return registry;
    }

    /** Builds (and closes) every sink without connecting anywhere; throws the config errors of every sink. */
    public void validate(LagsnapConfig config, Shard shard) {
        Secrets secrets = Secrets.of(config);
        for (NamedSink s : registry.create(config.sinks(), c -> context(config, shard, SinkMeter.NONE, secrets))) {
            s.closeQuietly();
        }
        trendState(config, shard);
    }

    /**
     * Where the trend state lives, checked to have a store on the class path; called once the sinks validated. Each
     * cluster's object is {@code cluster=NAME/trend.json.gz} under the state location, one per shard when sharded:
     * parallel shards writing one object would each replace the others' points (a fold keeps one latest time).
     */
    private Optional<StateLocation> trendState(LagsnapConfig config, Shard shard) {
        Optional<StateLocation> location = StateStores.locate(config, registry, shard.fileName("trend", ".json.gz"));
        location.ifPresent(stateStores::check);
        return location;
    }

    /**
     * Runs one cycle. Throws {@link io.lagsnap.sink.api.config.ConfigException} before contacting anything when a
     * sink table is invalid or no state store on the class path serves the trend state's scheme; every other
     * failure is carried in the report.
     */
    public RunReport run(LagsnapConfig config, Deadline deadline, Shard shard) {
        return run(config, deadline, shard, () -> false);
    }

    /**
     * As {@link #run(LagsnapConfig, Deadline, Shard)}; once {@code stop} says so (SIGTERM), in any phase,
     * collection ends with what it has, the sinks get {@value StopGrace#GRACE_SECONDS} s more to deliver it before
     * they are cut off, and the report marks every cluster partial: a stopped run ends with exit code 1 (3 when
     * nothing was delivered), the code the process returns.
     */
    public RunReport run(LagsnapConfig config, Deadline deadline, Shard shard, BooleanSupplier stop) {
        return run(config, deadline, shard, stop, List.of());
    }

    /**
     * As {@link #run(LagsnapConfig, Deadline, Shard, BooleanSupplier)}, with secret values resolved outside the
     * config (a Secrets Manager reference) that the run's scrubber must mask wherever they appear.
     */
    public RunReport run(LagsnapConfig config, Deadline deadline, Shard shard, BooleanSupplier stop,
                         List<String> resolvedSecrets) {
        return run(config, deadline, shard, new StopGrace(stop, StopGrace.GRACE), resolvedSecrets);
    }

    RunReport run(LagsnapConfig config, Deadline deadline, Shard shard, StopGrace stop, List<String> resolvedSecrets) {
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        // SecureRandom-backed: Lambda SnapStart reseeds it on restore, unlike ThreadLocalRandom's static seed
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        RunMetrics metrics = new RunMetrics();
        Secrets secrets = Secrets.of(config);
        resolvedSecrets.forEach(secrets::register);
        List<NamedSink> sinks = registry.create(config.sinks(),
                c -> context(config, shard, metrics.sink(c.name(), c.type()), secrets));
        Optional<StateLocation> trendState;
        try {
            trendState = trendState(config, shard);
        } catch (RuntimeException e) {
            sinks.forEach(NamedSink::closeQuietly);
            throw e;
        }

        Duration quarter = deadline.remaining().dividedBy(4);
        Deadline collectBy = deadline.minus(quarter.compareTo(MAX_SINK_RESERVE) < 0 ? quarter : MAX_SINK_RESERVE)
                .orWhen(stop::signalled);
        List<ClusterSnapshot> clusters = collectAll(config, shard, collectBy, secrets);
        Snapshot snapshot = MetricFamilies.derive(new Snapshot(runId, startedAt, shard, clusters),
                // at most half the time left: a hung state store must not eat the sinks' time
                keepTrends(trendState, clusters, deadline.within(deadline.remaining().dividedBy(2))));

        List<SinkOutcome> outcomes;
        List<MetricFamily> runMetrics;
        List<ClusterOutcome> collected;
        try (Deliveries deliveries = new Deliveries(sinks, deadline.orWhen(stop::over), secrets, stop::over)) {
            List<SinkOutcome> delivered = deliveries.deliver(snapshot);
            collected = clusters.stream().map(ClusterOutcome::of).map(c -> stop.signalled() ? stopped(c) : c).toList();
            // the run's own metrics exist only once every sink delivered: they go to the sinks second
            runMetrics = metrics.record(delivered, Duration.ofNanos(System.nanoTime() - start),
                    RunReport.exitCode(collected, delivered), deadline.remaining(), Instant.now());
            outcomes = deliveries.deliverReport(runId, runMetrics, delivered);
        }
        RunReport report = new RunReport(runId, startedAt, Duration.ofNanos(System.nanoTime() - start), shard,
                collected, outcomes, runMetrics);
        LOG.info("run {} finished in {} ms with exit code {}", runId, report.duration().toMillis(),
                report.exitCode());
        return report;
    }

    /**
     * Folds each collected cluster into the trend state the run before left, where there is one ({@code [run] state},
     * or next to the first object_store sink). A state that cannot be opened, read or written costs the clusters
     * their trends, never the run.
     */
    private Map<String, TrendKeeper.Kept> keepTrends(Optional<StateLocation> location, List<ClusterSnapshot> clusters,
                                                     Deadline deadline) {
        if (location.isEmpty()) {
            return Map.of();
        }
        String where = Urls.shown(location.get().url().toString()) + "/cluster=NAME/" + location.get().objectName();
        Map<String, TrendKeeper.Kept> kept = new LinkedHashMap<>();
        try (StateStore store = stateStores.open(location.get(), deadline)) {
            TrendKeeper keeper = new TrendKeeper(store, new Trends(trendBounds));
            for (ClusterSnapshot c : clusters) {
                if (c.up()) {
                    try {
                        kept.put(c.name(), keeper.update(c, Instant.now()));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("cluster {}: no trends this run: trend state at {}: {}", c.name(), where,
                                e.toString());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("no trends this run: trend state at {}: {}", where, e.toString());
        }
        return kept;
    }

    private List<ClusterSnapshot> collectAll(LagsnapConfig config, Shard shard, Deadline deadline, Secrets secrets) {
        ExecutorService pool = Executors.newFixedThreadPool(config.clusters().size(), daemon("lagsnap-collect"));
        try {
            List<Future<ClusterSnapshot>> futures = new ArrayList<>();
            for (ClusterConfig c : config.clusters()) {
                futures.add(pool.submit(() -> new KafkaCollector(c, config.exporter(), shard).collect(deadline)));
            }
            List<ClusterSnapshot> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                ClusterConfig c = config.clusters().get(i);
                ClusterSnapshot s;
                try {
                    s = await(futures.get(i), deadline);
                } catch (TimeoutException e) {
                    futures.get(i).cancel(true);
                    s = down(c, config, "collection did not finish before the run deadline or stop signal");
                } catch (Exception e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    s = down(c, config, "collection failed: " + cause);
                }
                s = scrubbed(s, secrets);
                if (!s.up()) {
                    LOG.warn("cluster {} is down: {}", c.name(), s.error());
                } else {
                    LOG.info("cluster {}: {} groups, {} rows, {} errors{} in {} ms", c.name(), s.groups().size(),
                            s.rows().size(), s.errors().size(), s.partial() ? " (partial)" : "",
                            s.duration().toMillis());
                    warnItemErrors(c.name(), s.errors());
                }
                out.add(s);
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits for a collector in short slices, so a stop signal is seen at once; past the deadline the collector
     * gets one more second to hand back what it has (it honours the deadline itself) before it is abandoned.
     */
    private static ClusterSnapshot await(Future<ClusterSnapshot> future, Deadline deadline) throws Exception {
        long abandonAt = Long.MAX_VALUE;
        while (true) {
            try {
                return future.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (deadline.expired()) {
                    abandonAt = Math.min(abandonAt, System.nanoTime() + GRACE.toNanos());
                    if (System.nanoTime() - abandonAt > 0) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * One warning per phase and kind of item error, with its distinct messages: a principal without Read on some
     * topics learns which ones lost their time lag ("Not authorized to access topics: [...]").
     */
    private static void warnItemErrors(String cluster, List<ItemError> errors) {
        Map<String, List<ItemError>> byKind = new LinkedHashMap<>();
        errors.forEach(e -> byKind.computeIfAbsent(e.phase().label() + " errors (" + e.kind().label() + ")", k -> new ArrayList<>())
                .add(e));
        byKind.forEach((kind, list) -> {
            List<String> messages = list.stream().map(ItemError::message).distinct().toList();
            LOG.warn("cluster {}: {} {}: {}{}", cluster, list.size(), kind,
                    String.join("; ", messages.subList(0, Math.min(3, messages.size()))),
                    messages.size() > 3 ? "; and " + (messages.size() - 3) + " more" : "");
        });
    }

    private SinkContext context(LagsnapConfig config, Shard shard, SinkMeter meter, Secrets secrets) {
        List<KafkaCluster> clusters = config.clusters().stream().map(ClusterConfig::kafkaCluster).toList();
        return new SinkContext(clusters, env, shard, meter, secrets::register);
    }

    /** A run stopped by a signal is partial, whatever it managed to collect and deliver. */
    private static ClusterOutcome stopped(ClusterOutcome c) {
        return new ClusterOutcome(c.name(), c.up(), true, c.error(), c.groups(), c.partitions(), c.rows(),
                c.duration(), c.phases(), c.adminRequests(), c.sampling(), c.errors());
    }

    private static ClusterSnapshot down(ClusterConfig c, LagsnapConfig config, String error) {
        return ClusterSnapshot.builder(c.name()).labels(c.labels()).granularity(config.exporter().granularity())
                .time(Instant.now()).up(false).error(error).build();
    }

    private static ClusterSnapshot scrubbed(ClusterSnapshot s, Secrets secrets) {
        List<ItemError> errors = s.errors().stream()
                .map(e -> new ItemError(e.phase(), e.item(), e.kind(), secrets.scrub(e.message()))).toList();
        return s.toBuilder().error(secrets.scrub(s.error())).errors(errors).build();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
