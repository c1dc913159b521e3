package io.lagsnap.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.core.trends.Series;
import io.lagsnap.core.trends.SeriesKey;
import io.lagsnap.core.trends.TrendBounds;
import io.lagsnap.core.trends.TrendCodec;
import io.lagsnap.core.trends.TrendPoint;
import io.lagsnap.core.trends.TrendState;
import io.lagsnap.core.trends.TrendStatus;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.Exposition;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A scripted trend history on a real broker: six groups, one per way a consumer can go, each alone on a
 * one-partition topic of the same name, through {@value #RUNS} runs with produce, commit and delete steps between
 * them. Each run is made once per {@link Keeping} (where the trend state lives), and every run's statuses, rates and
 * ETA are checked, in the Prometheus exposition and the NDJSON rows, against what the script determines: the
 * committed offsets and high watermarks below, over the snapshot times that keeping's state recorded.
 *
 * <p>The runs judge STOP after {@link #STOP_AFTER} instead of 15 minutes ({@link Runner}'s bounds seam), so the
 * script waits seconds, not minutes, for the stopped group to turn from STALL to STOP.
 */
public final class TrendScript {
    /**
     * The STOP threshold of the scripted runs: runs 2 and 3 must come before it (with two keepings, four runs and two
     * steps after a keeping's first run, a few seconds each on a loaded machine), and the last run waits for it.
     */
    public static final Duration STOP_AFTER = Duration.ofSeconds(20);
    public static final TrendBounds BOUNDS = new TrendBounds(10, 60, 10, STOP_AFTER);
    static final int RUNS = 4;
    /** The rates are computed from the same snapshot times the state holds, so they match all but rounding. */
    private static final double RELATIVE_TOLERANCE = 1e-9;
    private static final long RECORD_TIME = 1_700_000_000_000L;

    /**
     * Where a run keeps its trend state.
     *
     * @param config TOML that puts the state there: a {@code [run] state}, or an {@code object_store} sink
     * @param stateObject reads the cluster {@code local}'s trend object as the last run left it
     */
    public record Keeping(String name, String config, Callable<byte[]> stateObject) {
    }

    /**
     * One scripted group: its committed offset and high watermark at each run (the steps between runs produce and
     * commit the differences), and the status each run must give.
     *
     * @param member whether a live consumer that never commits holds its partition
     * @param deleteBefore records deleted before this offset just before run 2 (data loss), or 0 for none
     */
    private record Group(String name, long[] committed, long[] high, boolean member, long deleteBefore,
                         TrendStatus[] status) {
    }

    private static final TrendStatus OK = TrendStatus.OK;
    private static final List<Group> GROUPS = List.of(
            // consumes 40 a step while 10 arrive: lag 100, 70, 40, 10 (KEEPING_UP)
            new Group("ts-catching-up", new long[] {0, 40, 80, 120}, new long[] {100, 110, 120, 130}, false, 0,
                    new TrendStatus[] {OK, OK, OK, OK}),
            // a live member that never commits while 10 arrive a step: STALL, never STOP (it has members)
            new Group("ts-stalled-with-members", new long[] {10, 10, 10, 10}, new long[] {100, 110, 120, 130}, true,
                    0, new TrendStatus[] {OK, TrendStatus.STALL, TrendStatus.STALL, TrendStatus.STALL}),
            // no members, nothing moves: STALL until the offset stood still past STOP_AFTER, then STOP
            new Group("ts-stopped-without-members", new long[] {10, 10, 10, 10}, new long[] {100, 100, 100, 100},
                    false, 0, new TrendStatus[] {OK, TrendStatus.STALL, TrendStatus.STALL, TrendStatus.STOP}),
            // commits 10 a step while 30 arrive: lag 10, 30, 50, 70 (FALLING_BEHIND)
            new Group("ts-falling-behind", new long[] {90, 100, 110, 120}, new long[] {100, 130, 160, 190}, false, 0,
                    new TrendStatus[] {OK, TrendStatus.WARN, TrendStatus.WARN, TrendStatus.WARN}),
            // advances 50 -> 70, is reset back to 20, advances to 30: REWIND while the rewind is in the window
            new Group("ts-rewound", new long[] {50, 70, 20, 30}, new long[] {100, 110, 120, 130}, false, 0,
                    new TrendStatus[] {OK, OK, TrendStatus.REWIND, TrendStatus.REWIND}),
            // committed at 10 when the records before 50 are deleted: data loss (ERR) from run 2 on
            new Group("ts-losing-data", new long[] {10, 10, 10, 10}, new long[] {100, 110, 120, 130}, false, 50,
                    new TrendStatus[] {OK, TrendStatus.ERR, TrendStatus.ERR, TrendStatus.ERR}));

    private final KafkaBroker broker;
    private final Path dir;

    public TrendScript(KafkaBroker broker, Path dir) {
        this.broker = broker;
        this.dir = dir;
    }

    /** Plays the script, each run once per keeping in turn, and checks every run of every keeping. */
    public void play(List<Keeping> keepings) throws Exception {
        Map<String, Instant> firstRun = new HashMap<>();
        try (Scenario s = broker.scenario()) {
            for (Group g : GROUPS) {
                s.topic(g.name(), 1).produce(g.name(), 0, (int) g.high()[0], i -> RECORD_TIME + i)
                        .commit(g.name(), g.name(), 0, g.committed()[0]);
                if (g.member()) {
                    s.activeMember(g.name(), g.name()); // after the commit: Admin commits need an empty group
                }
            }
            for (int run = 0; run < RUNS; run++) {
                if (run > 0) {
                    step(s, run);
                }
                if (run == RUNS - 1) {
                    // the last run comes past every keeping's STOP threshold: its snapshot time is read after this
                    Instant past = firstRun.values().stream().max(Instant::compareTo).orElseThrow().plus(STOP_AFTER);
                    Thread.sleep(Math.max(0, Duration.between(Instant.now(), past).toMillis() + 100));
                }
                for (Keeping keeping : keepings) {
                    RunReport report = run(keeping);
                    assertThat(report.exitCode()).as(keeping.name() + " run " + (run + 1) + ": " + report.toJson())
                            .isZero();
                    firstRun.putIfAbsent(keeping.name(), state(keeping).time());
                    for (Group g : GROUPS) {
                        check(keeping, run, g);
                    }
                }
            }
        }
    }

    /** What happens between run {@code run - 1} and {@code run}: records arrive, offsets are committed, deleted. */
    private static void step(Scenario s, int run) {
        for (Group g : GROUPS) {
            int arriving = (int) (g.high()[run] - g.high()[run - 1]);
            if (arriving > 0) {
                s.produce(g.name(), 0, arriving, i -> RECORD_TIME + g.high()[run - 1] + i);
            }
            if (g.committed()[run] != g.committed()[run - 1]) {
                s.commit(g.name(), g.name(), 0, g.committed()[run]);
            }
            if (run == 1 && g.deleteBefore() > 0) {
                s.deleteRecords(g.name(), 0, g.deleteBefore());
            }
        }
    }

    private RunReport run(Keeping keeping) {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(keeping.config() + """
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^ts-"]
                [[sinks]]
                type = "file"
                format = "prometheus"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                """.formatted(broker.bootstrapServers(), exposition(keeping), rows(keeping)), "trend-script.toml");
        return new Runner(SinkRegistry.load(), System::getenv, BOUNDS)
                .run(config, Deadline.after(Duration.ofSeconds(30)), Shard.ALL);
    }

    /** Checks one group after one run of one keeping against the script. */
    private void check(Keeping keeping, int run, Group g) throws Exception {
        String what = keeping.name() + " run " + (run + 1) + " " + g.name();
        TrendState state = state(keeping);
        Series series = state.series().get(SeriesKey.ofGroup(g.name()));
        List<TrendPoint> points = series.points();
        assertThat(points).as(what).hasSize(run + 1);
        for (int i = 0; i <= run; i++) {
            assertThat(new long[] {points.get(i).committed(), points.get(i).end()}).as(what + " point " + (i + 1))
                    .containsExactly(g.committed()[i], g.high()[i]);
        }
        TrendStatus status = g.status()[run];
        if (status == TrendStatus.STOP || status == TrendStatus.STALL && !g.member()) {
            // STOP is measured from when the offset took its value: the first run, as it never changed
            assertThat(series.committedSince()).as(what).isEqualTo(points.get(0).time());
            Duration stood = Duration.between(series.committedSince(), points.get(run).time());
            assertThat(stood.compareTo(STOP_AFTER) > 0).as(what + ": offset unchanged for " + stood)
                    .isEqualTo(status == TrendStatus.STOP);
        }
        assertThat(status(keeping, g.name())).as(what).isEqualTo(status.name());
        assertThat(value(keeping, "kafka_consumergroup_group_status", g.name())).as(what)
                .isEqualTo((double) status.code());
        JsonNode row = row(keeping, g.name());
        assertThat(row.get("status").asText()).as(what).isEqualTo(status.name());

        if (run == 0) {
            // one point: a status, but no window for rates or an ETA yet
            for (String family : List.of("consume_rate", "produce_rate", "catchup_eta_seconds")) {
                assertThat(value(keeping, "kafka_consumergroup_group_" + family, g.name())).as(what + " " + family)
                        .isNull();
            }
            for (String field : List.of("consume_rate", "produce_rate", "eta_seconds")) {
                assertThat(row.get(field).isNull()).as(what + " " + field).isTrue();
            }
            return;
        }
        double seconds = Duration.between(points.get(0).time(), points.get(run).time()).toMillis() / 1000.0;
        double consume = (g.committed()[run] - g.committed()[0]) / seconds;
        double produce = (g.high()[run] - g.high()[0]) / seconds;
        long lag = g.high()[run] - g.committed()[run];
        double eta = lag == 0 ? 0 : consume > produce ? lag / (consume - produce) : Double.POSITIVE_INFINITY;
        assertClose(what + " consume rate", value(keeping, "kafka_consumergroup_group_consume_rate", g.name()),
                consume);
        assertClose(what + " produce rate", value(keeping, "kafka_consumergroup_group_produce_rate", g.name()),
                produce);
        assertClose(what + " eta", value(keeping, "kafka_consumergroup_group_catchup_eta_seconds", g.name()), eta);
        // one topic of one partition: the row's topic trend has the group's numbers
        assertClose(what + " row consume_rate", row.get("consume_rate").asDouble(), consume);
        assertClose(what + " row produce_rate", row.get("produce_rate").asDouble(), produce);
        if (Double.isInfinite(eta)) {
            // JSON has no infinite number: the string "Infinity"
            assertThat(row.get("eta_seconds").asText()).as(what + " row eta_seconds").isEqualTo("Infinity");
        } else {
            assertClose(what + " row eta_seconds", row.get("eta_seconds").asDouble(), eta);
        }
    }

    private static void assertClose(String what, Double actual, double expected) {
        assertThat(actual).as(what).isNotNull();
        if (Double.isInfinite(expected)) {
            assertThat(actual).as(what).isEqualTo(expected);
        } else {
            assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                    .isLessThanOrEqualTo(Math.abs(expected) * RELATIVE_TOLERANCE);
        }
    }

    private Path exposition(Keeping keeping) {
        return dir.resolve(keeping.name() + ".prom");
    }

    private Path rows(Keeping keeping) {
        return dir.resolve(keeping.name() + ".ndjson");
    }

    private static TrendState state(Keeping keeping) throws Exception {
        return ((TrendCodec.Loaded) TrendCodec.decode(keeping.stateObject().call(), "local")).state();
    }

    private Double value(Keeping keeping, String family, String group) throws Exception {
        return Exposition.find(exposition(keeping), family, group).map(Exposition.Sample::value).orElse(null);
    }

    private String status(Keeping keeping, String group) throws Exception {
        return Exposition.find(exposition(keeping), "kafka_consumergroup_group_status", group)
                .map(sample -> sample.label("status")).orElse(null);
    }

    /** The last run's NDJSON row of {@code group} (one partition each here). */
    private JsonNode row(Keeping keeping, String group) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(rows(keeping))) {
            JsonNode row = json.readTree(line);
            if (row.get("group").asText().equals(group)) {
                return row;
            }
        }
        throw new AssertionError("no row of " + group + " in " + rows(keeping));
    }
}
