package io.lagsnap.cli;

import static org.owasp.encoder.Encode.forHtml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.Durations;
import io.lagsnap.sink.api.format.SvgChart;
import io.lagsnap.sink.api.model.LagPoint;
import io.lagsnap.sink.objectstore.HistoryReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code lagsnap history}: per-group lag over time from the {@code object_store} sink's history. Each run's per-group
 * rollup ({@code cluster=NAME/rollup/dt=/hour=/*.json.gz}, one line per group) is read, and the rows
 * ({@code cluster=NAME/dt=/hour=/*.ndjson.gz}, one line per partition) only of runs written before rollups existed.
 * The sink's own store classes list and fetch the objects (file:// in place; s3:// and gs:// copied to a temporary
 * directory with the sink's SDK clients), and an embedded DuckDB aggregates them. DuckDB's json reader and gzip are
 * statically linked into its JDBC driver, so nothing is downloaded at run time.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Prints per-group lag over time from an object_store sink's history.")
public final class HistoryCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "URL",
            description = "the object_store sink's url: s3://bucket/prefix, gs://bucket/prefix or file:///dir")
    String store;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "the cluster's plain name")
    String cluster;

    @Option(names = "--group", paramLabel = "REGEX", defaultValue = ".*",
            description = "only groups whose whole name matches (default: all)")
    String group;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
            description = "how far back from now, e.g. 90m, 24h, 7d (default: 24h)")
    String since;

    @Option(names = "--step", paramLabel = "STEP", defaultValue = "auto",
            description = "one point per group and step, with the largest lag in it: a duration (e.g. 10m), none "
                    + "(every snapshot) or auto (default: every snapshot up to 24h, else a step giving at most "
                    + "1,440 points per group)")
    String step;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "stdout format: table, json (NDJSON) or csv (default: table)")
    String format;

    @Option(names = "--html", paramLabel = "FILE", description = "also write a page with one lag chart per group")
    Path html;

    @Option(names = "--region", paramLabel = "REGION", description = "s3:// only: the bucket's region (default: "
            + "the AWS SDK's chain, e.g. AWS_REGION)")
    String region;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "s3:// only: an S3-compatible endpoint, e.g. https://minio.example.com:9000")
    String endpoint;

    @Option(names = "--path-style", description = "s3:// only: path-style requests (https://host/bucket/key)")
    boolean pathStyle;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final int OUTPUT_BUFFER = 1 << 16;
    /** The object_store sink's s3 keys that the flags --region, --endpoint and --path-style set. */
    private static final Map<String, String> FLAG_OF_S3_KEY = Map.of("region", "--region", "endpoint", "--endpoint",
            "path_style", "--path-style");
    private static final Pattern PLAIN_CSV_FIELD = Pattern.compile("[^\",\r\n]*");
    /** A year: the history is partitioned by day and the answer is one line per group and run. */
    private static final Duration MAX_SINCE = Duration.ofDays(366);
    /** Up to this range, {@code --step auto} prints every snapshot. */
    private static final Duration EVERY_SNAPSHOT_UP_TO = Duration.ofHours(24);
    /** Beyond it, the smallest of these steps that gives at most {@link #AUTO_POINTS} points per group. */
    private static final List<Duration> AUTO_STEPS = Stream.of(5, 10, 15, 30, 60, 120, 360, 720, 1440)
            .map(Duration::ofMinutes).toList();
    /** A day of a 1-minute schedule: more points than a terminal or a chart shows. */
    private static final long AUTO_POINTS = 1440;
    /** Bounds the listing and fetching together: each request gets what is left of it. */
    private static final Duration STORE_TIMEOUT = Duration.ofMinutes(5);
    /** The fields the answer needs, typed: DuckDB then neither samples nor infers the objects. */
    private static final String ROW_COLUMNS = "{snapshot_time: 'TIMESTAMPTZ', \"group\": 'VARCHAR', lag: 'BIGINT', "
            + "lag_seconds: 'DOUBLE'}";
    private static final String ROLLUP_COLUMNS = "{snapshot_time: 'TIMESTAMPTZ', \"group\": 'VARCHAR', "
            + "lag: 'BIGINT', max_lag_seconds: 'DOUBLE'}";

    private final Clock clock;

    public HistoryCommand() {
        this(Clock.systemUTC());
    }

    HistoryCommand(Clock clock) {
        this.clock = clock;
    }

    /** One group at one snapshot: lag summed over its partitions, the largest time lag (null when none sampled). */
    record Point(String group, Instant time, long lag, Double maxLagSeconds) {
    }

    @Override
    public Integer call() throws IOException {
        Instant now = clock.instant();
        Duration range = Durations.parse(since, "--since", Durations.MIN, MAX_SINCE);
        Instant from = now.minus(range);
        Pattern groups = groupPattern(group);
        Duration stepSize = step(step, range);
        if (stepSize != null && step.equalsIgnoreCase("auto")) {
            spec.commandLine().getErr().println("lagsnap: history: one point per group and "
                    + Durations.format(stepSize) + " (the largest lag in it); --step none prints every snapshot");
        }
        List<Point> points;
        try {
            points = read(from, now, groups, stepSize);
        } catch (IOException e) {
            spec.commandLine().getErr().println("lagsnap: history: " + e.getMessage());
            return RunReport.EXIT_PARTIAL;
        }
        // a week of groups is millions of lines: buffer them, as the command line's writer may flush each one
        PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), OUTPUT_BUFFER));
        switch (format.toLowerCase(Locale.ROOT)) {
            case "table" -> table(points, out);
            case "json" -> json(points, out);
            case "csv" -> csv(points, out);
            default -> throw new ConfigException("--format: expected table, json or csv, got \"" + format + "\"");
        }
        out.flush();
        if (html != null) {
            try (Writer w = Files.newBufferedWriter(html, StandardCharsets.UTF_8)) {
                page(cluster, from, points, w);
            }
        }
        if (points.isEmpty()) {
            spec.commandLine().getErr().println("lagsnap: no history rows for cluster " + cluster + " since " + from);
        }
        return RunReport.EXIT_OK;
    }

    /**
     * The step of {@code --step}, or null for every snapshot. {@code auto} steps only ranges longer than a day: a
     * week of a 1-minute schedule is 10,080 points per group, 10 million lines for 1,000 groups.
     */
    static Duration step(String text, Duration range) {
        if (text.equalsIgnoreCase("none")) {
            return null;
        }
        if (text.equalsIgnoreCase("auto")) {
            if (range.compareTo(EVERY_SNAPSHOT_UP_TO) <= 0) {
                return null;
            }
            return AUTO_STEPS.stream().filter(s -> range.dividedBy(s) <= AUTO_POINTS).findFirst()
                    .orElse(AUTO_STEPS.get(AUTO_STEPS.size() - 1));
        }
        return Durations.parse(text, "--step", Duration.ofSeconds(1), MAX_SINCE);
    }

    /** Lists the runs in range, fetches what a bucket holds into a temporary directory, and aggregates. */
    private List<Point> read(Instant from, Instant now, Pattern groups, Duration step) throws IOException {
        try (HistoryReader reader = HistoryReader.open(store, s3Options(), FLAG_OF_S3_KEY::get, STORE_TIMEOUT)) {
            if (reader.isLocal()) {
                clusterDir(storeDir(store), cluster);
            }
            HistoryReader.Selection runs = reader.select(cluster, from, now);
            if (reader.isLocal()) {
                return query(reader.local(runs.rollups(), null), reader.local(runs.rows(), null), from, groups, step);
            }
            Path copies = Files.createTempDirectory("lagsnap-history-");
            try {
                return query(reader.local(runs.rollups(), copies), reader.local(runs.rows(), copies), from, groups,
                        step);
            } finally {
                deleteTree(copies);
            }
        }
    }

    private Map<String, Object> s3Options() {
        Map<String, Object> options = new LinkedHashMap<>();
        if (region != null) {
            options.put("region", region);
        }
        if (endpoint != null) {
            options.put("endpoint", endpoint);
        }
        if (pathStyle) {
            options.put("path_style", true);
        }
        if (!options.isEmpty() && !store.startsWith("s3://")) {
            throw new ConfigException("--region, --endpoint and --path-style only apply to s3:// stores");
        }
        return options;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Path storeDir(String url) {
        Path dir = Path.of(URI.create(url));
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--store: directory \"" + dir + "\" does not exist");
        }
        return dir;
    }

    /** The {@code cluster=...} directory whose decoded name is {@code name}; the error lists the ones there are. */
    static Path clusterDir(Path store, String name) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(store, "cluster=*")) {
            for (Path d : dirs) {
                String decoded = URLDecoder.decode(d.getFileName().toString().substring("cluster=".length()),
                        StandardCharsets.UTF_8);
                if (decoded.equals(name)) {
                    return d;
                }
                names.add(decoded);
            }
        }
        throw new ConfigException("--cluster: no history of \"" + name + "\" in " + store + " (clusters there: "
                + (names.isEmpty() ? "none" : String.join(", ", names.stream().sorted().toList())) + ")");
    }

    private static Pattern groupPattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("--group: invalid regex \"" + regex + "\": " + e.getDescription());
        }
    }

    /**
     * Lag per group and snapshot (or step) since {@code from}, from the rollups (one line per group and run) and the
     * rows of runs without a rollup (summed here the way the sink sums them into a rollup). The files are named, not
     * globbed: the listing already pruned them to the hours in range. The points are loaded once into a temporary
     * table, a step's largest lag and time lag already taken; the group regex is then matched in Java against its
     * distinct names (DuckDB's RE2 and Java's regexes differ), and only the matching groups' points are sorted and
     * fetched.
     *
     * @param step null for every snapshot; else one point per group and step, at the step's start
     */
    static List<Point> query(List<Path> rollups, List<Path> rows, Instant from, Pattern groups, Duration step) {
        // an Instant's text is a safe literal; rollup lines are one per group and run, so only rows are summed
        String since = "'" + from + "'::TIMESTAMPTZ";
        List<String> parts = new ArrayList<>();
        if (!rollups.isEmpty()) {
            parts.add("SELECT \"group\", epoch_ms(snapshot_time) AS t, lag, max_lag_seconds FROM "
                    + readJson(rollups, ROLLUP_COLUMNS) + " WHERE snapshot_time >= " + since);
        }
        if (!rows.isEmpty()) {
            parts.add("SELECT \"group\", epoch_ms(snapshot_time) AS t, sum(lag) AS lag, max(lag_seconds)"
                    + " AS max_lag_seconds FROM " + readJson(rows, ROW_COLUMNS) + " WHERE snapshot_time >= " + since
                    + " GROUP BY \"group\", snapshot_time");
        }
        List<Point> points = new ArrayList<>();
        if (parts.isEmpty()) {
            return points;
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            // never fetch an extension: json and gzip are built in, and a run must not reach the network
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            // the output order comes from ORDER BY; not keeping the files' line order lets the load run in parallel
            s.execute("SET preserve_insertion_order = false");
            String union = String.join(" UNION ALL ", parts);
            long stepMs = step == null ? 0 : step.toMillis();
            s.execute("CREATE TEMP TABLE points AS " + (step == null ? union
                    : "SELECT \"group\", t // " + stepMs + " * " + stepMs + " AS t, max(lag) AS lag,"
                            + " max(max_lag_seconds) AS max_lag_seconds FROM (" + union + ") GROUP BY \"group\", 2"));
            List<String> wanted = new ArrayList<>();
            boolean all = true;
            try (ResultSet r = s.executeQuery("SELECT DISTINCT \"group\" FROM points")) {
                while (r.next()) {
                    String name = r.getString(1);
                    boolean match = groups.matcher(name).matches();
                    all &= match;
                    if (match) {
                        wanted.add(name);
                    }
                }
            }
            if (!all) {
                s.execute("CREATE TEMP TABLE wanted (name VARCHAR)");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO wanted VALUES (?)")) {
                    for (String name : wanted) {
                        insert.setString(1, name);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            try (ResultSet r = s.executeQuery("SELECT \"group\", t, lag, max_lag_seconds FROM points"
                    + (all ? "" : " WHERE \"group\" IN (SELECT name FROM wanted)") + " ORDER BY \"group\", t")) {
                while (r.next()) {
                    String name = r.getString(1);
                    long time = r.getLong(2);
                    long lag = r.getLong(3);
                    double seconds = r.getDouble(4);
                    points.add(new Point(name, Instant.ofEpochMilli(time), lag, r.wasNull() ? null : seconds));
                }
            }
        } catch (SQLException e) {
            throw new ConfigException("reading the history of " + rollups.size() + " rollup and " + rows.size()
                    + " row object(s): " + e.getMessage());
        }
        return points;
    }

    private static String readJson(List<Path> files, String columns) {
        StringBuilder list = new StringBuilder("[");
        for (Path f : files) {
            list.append(list.length() == 1 ? "" : ", ").append(literal(f.toAbsolutePath().toString()));
        }
        return "read_json(" + list + "], format = 'newline_delimited', compression = 'gzip',"
                + " hive_partitioning = false, columns = " + columns + ")";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static void table(List<Point> points, PrintWriter out) {
        int width = Math.max("GROUP".length(), points.stream().mapToInt(p -> p.group().length()).max().orElse(0));
        String row = "%-" + width + "s  %-24s  %12s  %15s%n";
        out.printf(row, "GROUP", "SNAPSHOT_TIME", "LAG", "MAX_LAG_SECONDS");
        for (Point p : points) {
            out.printf(row, p.group(), p.time(), p.lag(), p.maxLagSeconds() == null ? "-" : p.maxLagSeconds());
        }
    }

    static void csv(List<Point> points, PrintWriter out) {
        out.print("group,snapshot_time,lag,max_lag_seconds\r\n");
        for (Point p : points) {
            out.print(csvField(p.group()) + "," + p.time() + "," + p.lag() + ","
                    + (p.maxLagSeconds() == null ? "" : p.maxLagSeconds()) + "\r\n");
        }
    }

    private static String csvField(String s) {
        return PLAIN_CSV_FIELD.matcher(s).matches() ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    static void json(List<Point> points, PrintWriter out) {
        try {
            JsonFactory factory = new JsonFactory();
            for (Point p : points) {
                JsonGenerator g = factory.createGenerator(out);
                g.writeStartObject();
                g.writeStringField("group", p.group());
                g.writeStringField("snapshot_time", p.time().toString());
                g.writeNumberField("lag", p.lag());
                if (p.maxLagSeconds() == null) {
                    g.writeNullField("max_lag_seconds");
                } else {
                    g.writeNumberField("max_lag_seconds", p.maxLagSeconds());
                }
                g.writeEndObject();
                g.flush();
                out.print("\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Chart geometry: the plot area inside the SVG's viewBox. */
    private static final int CHART_WIDTH = 600;
    private static final int CHART_HEIGHT = 120;

    /** One self-contained page: inline CSS and SVG, a CSP that forbids scripts and every load. */
    static void page(String cluster, Instant from, List<Point> points, Writer w) throws IOException {
        Map<String, List<Point>> byGroup = new LinkedHashMap<>();
        points.forEach(p -> byGroup.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p));
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'\">\n");
        w.write("<title>Lag history: " + forHtml(cluster) + "</title>\n<style>\n"
                + "body{font-family:system-ui,sans-serif;margin:24px;color:#1f2328}"
                + "svg{width:100%;max-width:" + CHART_WIDTH + "px;height:auto;background:#f6f8fa}"
                + SvgChart.STYLE + ".meta{color:#59636e}\n</style>\n</head>\n<body>\n");
        w.write("<h1>Lag history: " + forHtml(cluster) + "</h1>\n<p class=\"meta\">since " + from + ", "
                + byGroup.size() + " group(s)</p>\n");
        for (Map.Entry<String, List<Point>> e : byGroup.entrySet()) {
            List<Point> series = e.getValue();
            long max = series.stream().mapToLong(Point::lag).max().orElse(0);
            w.write("<section>\n<h2>" + forHtml(e.getKey()) + "</h2>\n<p class=\"meta\">max lag " + max + ", "
                    + series.get(0).time() + " to " + series.get(series.size() - 1).time() + "</p>\n");
            w.write(SvgChart.svg(series.stream().map(p -> new LagPoint(p.time(), p.lag(), p.maxLagSeconds())).toList(),
                    CHART_WIDTH, CHART_HEIGHT, "lag of " + e.getKey()) + "\n</section>\n");
        }
        w.write("</body>\n</html>\n");
    }
}
