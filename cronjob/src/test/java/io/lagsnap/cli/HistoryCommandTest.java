package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Watermarks;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.testkit.S3ProxyServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * lagsnap history over history objects written by the real object_store sink on file://, read in place, with
 * some or all runs' rollups removed (history written before rollups existed), and copied to an S3 bucket on s3proxy.
 */
class HistoryCommandTest {
    private static final String CLUSTER = "prod eu/1";
    private static final Instant NOW = Instant.parse("2026-11-17T22:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    static Path store;

    private static PartitionLag row(String group, int partition, long committed, long high, Double lagSeconds) {
        return PartitionLag.builder(group, "orders", partition).groupState(GroupState.EMPTY)
                .committedOffset(committed).watermarks(new Watermarks(0, high, high)).lag(high - committed)
                .lagSeconds(lagSeconds).retentionMargin(0L).lagRetentionRatio(0.0).build();
    }

    /** Runs at 26 h ago (before --since 24h), 3 h, 1 h 1 m (the hour before) and 1 min ago. */
    @BeforeAll
    static void writeHistoryWithTheObjectStoreSink() throws Exception {
        Map<Instant, List<PartitionLag>> runs = new LinkedHashMap<>();
        runs.put(NOW.minus(Duration.ofHours(26)), List.of(row("billing", 0, 0, 1000, 9.0)));
        runs.put(NOW.minus(Duration.ofHours(3)), List.of(row("billing", 0, 10, 40, 1.5),
                row("billing", 1, 5, 10, 0.25), row("audit", 0, 7, 7, 0.0)));
        runs.put(NOW.minus(Duration.ofMinutes(61)), List.of(row("billing", 0, 20, 60, 2.0),
                row("billing", 1, 10, 10, 0.0), row("audit", 0, 7, 9, null)));
        runs.put(NOW.minus(Duration.ofMinutes(1)), List.of(row("billing", 0, 60, 60, 0.0),
                row("billing", 1, 10, 12, 3.5)));
        var sink = SinkRegistry.load().create(List.of(new SinkConfig("object_store", "history", "sinks[0]",
                Map.of("url", store.toUri().toString()))), c -> new SinkContext(List.of(), name -> null, Shard.ALL))
                .get(0).sink();
        int run = 0;
        for (Map.Entry<Instant, List<PartitionLag>> e : runs.entrySet()) {
            ClusterSnapshot cluster = ClusterSnapshot.builder(CLUSTER).granularity(Granularity.PARTITION)
                    .time(e.getKey()).rows(e.getValue()).build();
            Delivery d = sink.deliver(new Snapshot("run00000000" + run++, e.getKey(), Shard.ALL, List.of(cluster)),
                    Deadline.after(Duration.ofSeconds(30)));
            assertThat(d.delivered()).as(d.detail()).isTrue();
        }
        // the cluster's directory as the sink names it, and the hour partitions the runs fell into
        assertThat(Files.list(store.resolve("cluster=prod%20eu%2F1/dt=2026-11-17")).map(p -> p.getFileName()
                .toString()).sorted()).containsExactly("hour=19", "hour=21", "hour=22");
    }

    private record Result(int exit, String out, String err) {
    }

    /** What every store below answers: the runs of the last 24 h, summed per group and snapshot. */
    private static final String LAST_DAY = """
            GROUP    SNAPSHOT_TIME                      LAG  MAX_LAG_SECONDS
            audit    2026-11-17T19:30:00Z                 0              0.0
            audit    2026-11-17T21:29:00Z                 2                -
            billing  2026-11-17T19:30:00Z                35              1.5
            billing  2026-11-17T21:29:00Z                40              2.0
            billing  2026-11-17T22:29:00Z                 2              3.5
            """;

    private static Result history(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new HistoryCommand(CLOCK));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static String[] args(String... more) {
        return argsFor(store.toUri().toString(), more);
    }

    private static String[] argsFor(String url, String... more) {
        List<String> all = new ArrayList<>(List.of("--store", url, "--cluster", CLUSTER));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void printsEachGroupsLagPerSnapshotSinceTheGivenTime() {
        Result r = history(args());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(LAST_DAY);
    }

    /** The files under the store's rollup trees, one per run. */
    private static List<Path> rollups(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().contains("/rollup/") && p.toString().endsWith(".json.gz")).sorted()
                    .toList();
        }
    }

    @Test
    void runsWithoutARollupAreReadFromTheirRowsWithTheSameAnswer(@TempDir Path copy) throws Exception {
        try (Stream<Path> files = Files.walk(store)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(store.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
        List<Path> rollups = rollups(copy);
        assertThat(rollups).hasSize(4);

        // the runs 3 h and 61 min ago as written before rollups existed, then none at all
        Files.delete(rollups.get(1));
        Files.delete(rollups.get(2));
        assertThat(history(argsFor(copy.toUri().toString())).out()).isEqualTo(LAST_DAY);
        for (Path p : rollups(copy)) {
            Files.delete(p);
        }
        assertThat(history(argsFor(copy.toUri().toString())).out()).isEqualTo(LAST_DAY);
        assertThat(history(argsFor(copy.toUri().toString(), "--since", "62m", "--format", "csv")).out())
                .isEqualTo(history(args("--since", "62m", "--format", "csv")).out());
    }

    @Test
    void readsAnS3StoreThroughTheSdkWithTheSameAnswer() throws Exception {
        try (S3ProxyServer proxy = S3ProxyServer.start();
             S3Client admin = proxy.client(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
             Stream<Path> files = Files.walk(store)) {
            admin.createBucket(b -> b.bucket("lagsnap-history"));
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                admin.putObject(b -> b.bucket("lagsnap-history").key("lagsnap/" + store.relativize(p)),
                        RequestBody.fromFile(p));
            }
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
            String[] s3 = {"--region", "us-east-1", "--endpoint", proxy.endpoint().toString(), "--path-style"};

            Result r = history(argsFor("s3://lagsnap-history/lagsnap", s3));

            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(LAST_DAY);

            Result missing = history(argsFor("s3://no-such-bucket/lagsnap", s3));
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).startsWith("lagsnap: history: bucket \"no-such-bucket\", key \"lagsnap/cluster="
                    + "prod%20eu%2F1/rollup/dt=2026-11-16/\": NoSuchBucket (HTTP 404)").doesNotContain("Exception");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void sinceCutsWithinAnHourPartitionAndGroupFiltersByWholeName() {
        Result r = history(args("--since", "62m", "--group", "bill.*", "--format", "csv"));

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("group,snapshot_time,lag,max_lag_seconds\r\n"
                + "billing,2026-11-17T21:29:00Z,40,2.0\r\n"
                + "billing,2026-11-17T22:29:00Z,2,3.5\r\n");
        assertThat(history(args("--group", "bill")).out()).isEqualTo(
                "GROUP  SNAPSHOT_TIME                      LAG  MAX_LAG_SECONDS\n");
        // days back, past the 24 h a run's duration keys allow
        assertThat(history(args("--since", "7d", "--group", "billing", "--format", "csv")).out().lines().limit(2))
                .containsExactly("group,snapshot_time,lag,max_lag_seconds", "billing,2026-11-16T20:30:00Z,1000,9.0");
    }

    @Test
    void aStepKeepsEachGroupsLargestLagAndTimeLagPerStep() {
        Result r = history(args("--step", "4h"));

        assertThat(r.exit()).isZero();
        // 21:29 and 22:29 share the 20:00 step: lag 40 from one run, time lag 3.5 from the other
        assertThat(r.out()).isEqualTo("""
                GROUP    SNAPSHOT_TIME                      LAG  MAX_LAG_SECONDS
                audit    2026-11-17T16:00:00Z                 0              0.0
                audit    2026-11-17T20:00:00Z                 2                -
                billing  2026-11-17T16:00:00Z                35              1.5
                billing  2026-11-17T20:00:00Z                40              3.5
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void autoStepsOnlyRangesLongerThanADayAndSaysSo() {
        Result week = history(args("--since", "7d", "--group", "billing", "--format", "csv"));

        assertThat(week.out()).isEqualTo("group,snapshot_time,lag,max_lag_seconds\r\n"
                + "billing,2026-11-16T20:30:00Z,1000,9.0\r\n"
                + "billing,2026-11-17T19:30:00Z,35,1.5\r\n"
                + "billing,2026-11-17T21:20:00Z,40,2.0\r\n"
                + "billing,2026-11-17T22:20:00Z,2,3.5\r\n");
        assertThat(week.err()).isEqualTo("lagsnap: history: one point per group and 10m (the largest lag in it); "
                + "--step none prints every snapshot\n");
        assertThat(history(args("--since", "7d", "--step", "none", "--group", "billing", "--format", "csv")).out())
                .contains("billing,2026-11-17T21:29:00Z,40,2.0");

        assertThat(HistoryCommand.step("auto", Duration.ofHours(24))).isNull();
        assertThat(HistoryCommand.step("auto", Duration.ofHours(25))).isEqualTo(Duration.ofMinutes(5));
        assertThat(HistoryCommand.step("auto", Duration.ofDays(7))).isEqualTo(Duration.ofMinutes(10));
        assertThat(HistoryCommand.step("auto", Duration.ofDays(30))).isEqualTo(Duration.ofMinutes(30));
        assertThat(HistoryCommand.step("auto", Duration.ofDays(366))).isEqualTo(Duration.ofHours(12));
        assertThat(HistoryCommand.step("NONE", Duration.ofDays(7))).isNull();
        assertThat(HistoryCommand.step("90s", Duration.ofDays(7))).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void jsonIsOneObjectPerLine() {
        Result r = history(args("--since", "2h", "--format", "json"));

        assertThat(r.out()).isEqualTo("""
                {"group":"audit","snapshot_time":"2026-11-17T21:29:00Z","lag":2,"max_lag_seconds":null}
                {"group":"billing","snapshot_time":"2026-11-17T21:29:00Z","lag":40,"max_lag_seconds":2.0}
                {"group":"billing","snapshot_time":"2026-11-17T22:29:00Z","lag":2,"max_lag_seconds":3.5}
                """);
    }

    @Test
    void htmlDrawsOneSelfContainedChartPerGroupWithAPointPerSnapshot() throws Exception {
        Path page = store.resolveSibling(store.getFileName() + "-history.html");
        Result r = history(args("--html", page.toString()));

        assertThat(r.exit()).isZero();
        String html = Files.readString(page);
        assertThat(html).contains("content=\"default-src 'none'; style-src 'unsafe-inline'\"")
                .doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
        Matcher charts = Pattern.compile("<h2>([^<]+)</h2>[^<]*<p[^>]*>[^<]*</p>\\s*<svg[^>]*>\\s*"
                + "<polyline points=\"([^\"]+)\"/>").matcher(html);
        Map<String, String> lines = new LinkedHashMap<>();
        while (charts.find()) {
            lines.put(charts.group(1), charts.group(2));
        }
        // billing: lag 35, 40, 2 at minutes 0, 119 and 179, scaled to 600 x 120 with 40 at the top
        assertThat(lines).containsExactly(Map.entry("audit", "0.0,120.0 600.0,0.0"),
                Map.entry("billing", "0.0,15.0 398.9,0.0 600.0,114.0"));
    }

    @Test
    void duckDbReadsJsonAndGzipWithItsBuiltInsOnlyAndCannotReachS3WithoutADownload() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT extension_name, install_mode FROM duckdb_extensions()"
                     + " WHERE extension_name IN ('json', 'httpfs') ORDER BY 1")) {
            r.next();
            assertThat(r.getString(1) + " " + r.getString(2)).isEqualTo("httpfs NOT_INSTALLED");
            r.next();
            assertThat(r.getString(1) + " " + r.getString(2)).isEqualTo("json STATICALLY_LINKED");
        }
        // the command turns auto-install and auto-load off before reading, and still reads the history
        assertThat(history(args("--format", "csv")).out().lines()).hasSize(6);
    }

    @Test
    void badArgumentsAreNamedWithoutAStackTrace() {
        String local = store.toUri().toString();
        assertThat(configError("--store", "http://bucket/lagsnap", "--cluster", CLUSTER))
                .isEqualTo("--store: \"http://bucket/lagsnap\" must start with s3://, gs:// or file://\n");
        assertThat(configError("--store", local, "--cluster", CLUSTER, "--since", "367d"))
                .isEqualTo("--since: \"367d\" is out of range: must be from 1ms to 8784h\n");
        assertThat(configError("--store", local, "--cluster", CLUSTER, "--endpoint", "http://localhost:9000"))
                .isEqualTo("--region, --endpoint and --path-style only apply to s3:// stores\n");
        assertThat(configError("--store", "s3://bucket/lagsnap", "--cluster", CLUSTER, "--endpoint", "not a url"))
                .isEqualTo("--endpoint: \"not a url\" is not an http(s) URL such as "
                        + "\"https://minio.example.com:9000\"\n");
        assertThat(configError("--store", "s3://bucket/lagsnap", "--cluster", CLUSTER, "--region", "EU West"))
                .isEqualTo("--region: \"EU West\" is not a region name such as \"eu-west-1\"\n");
        assertThat(configError("--store", local, "--cluster", "prod"))
                .isEqualTo("--cluster: no history of \"prod\" in " + store + " (clusters there: prod eu/1)\n");
        assertThat(configError("--store", local, "--cluster", CLUSTER, "--step", "500ms"))
                .isEqualTo("--step: \"500ms\" is out of range: must be from 1s to 8784h\n");
        assertThat(configError("--store", local, "--cluster", CLUSTER, "--group", "("))
                .startsWith("--group: invalid regex \"(\"");
    }

    /** What `lagsnap history ARGS` printed after "config error: ", asserting it exited 2. */
    private static String configError(String... args) {
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("history"));
        all.addAll(List.of(args));
        int exit = LagsnapCli.execute(name -> null, new PrintWriter(err, true), all.toArray(String[]::new));
        assertThat(exit).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).startsWith("lagsnap: config error: ");
        return err.toString().substring("lagsnap: config error: ".length());
    }
}
