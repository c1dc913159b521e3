package io.lagsnap.cli;

import static org.owasp.encoder.Encode.forHtml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.Durations;
import io.lagsnap.sink.api.format.SvgChart;
import io.lagsnap.sink.api.model.LagPoint;
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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code lagsnap history}: per-group lag over time from the {@code object_store} sink's history
 * ({@code cluster=NAME/dt=YYYY-MM-DD/hour=HH/*.ndjson.gz}), read in place by an embedded DuckDB. DuckDB's json
 * reader and gzip are statically linked into its JDBC driver, so nothing is downloaded at run time; its httpfs
 * extension is not, which is why only file:// stores are read (sync s3:// or gs:// to a directory first).
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Prints per-group lag over time from an object_store sink's history (file:// only).")
public final class HistoryCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "URL",
            description = "the object_store sink's url, e.g. file:///var/lib/lagsnap")
    String store;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "the cluster's plain name")
    String cluster;

    @Option(names = "--group", paramLabel = "REGEX", defaultValue = ".*",
            description = "only groups whose whole name matches (default: all)")
    String group;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
            description = "how far back from now, e.g. 90m, 24h, 7d (default: 24h)")
    String since;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "stdout format: table, json (NDJSON) or csv (default: table)")
    String format;

    @Option(names = "--html", paramLabel = "FILE", description = "also write a page with one lag chart per group")
    Path html;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    /** Only the fields the answer needs, typed: DuckDB then neither samples nor infers the rows. */
    private static final String COLUMNS = "{snapshot_time: 'TIMESTAMPTZ', \"group\": 'VARCHAR', lag: 'BIGINT', "
            + "lag_seconds: 'DOUBLE'}";

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
        Path dir = clusterDir(storeDir(store), cluster);
        Instant from = clock.instant().minus(Durations.parse(since, "--since"));
        Pattern groups = groupPattern(group);
        List<Point> points = query(dir, from, groups);
        PrintWriter out = spec.commandLine().getOut();
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

    static Path storeDir(String url) {
        if (url.startsWith("s3://") || url.startsWith("gs://")) {
            throw new ConfigException("--store: " + url.substring(0, 5) + " is not read directly (DuckDB's httpfs "
                    + "extension is not built into its JDBC driver and would be downloaded at run time); copy the "
                    + "cluster's history to a directory first (aws s3 sync / gcloud storage rsync) and pass file://DIR");
        }
        if (!url.startsWith("file:")) {
            throw new ConfigException("--store: expected file:///DIR, got \"" + url + "\"");
        }
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
     * Lag per group and snapshot since {@code from}. The dt/hour conditions prune whole files by their key before
     * any is opened; the group regex is applied in Java, as DuckDB's RE2 and Java's regexes differ.
     */
    static List<Point> query(Path clusterDir, Instant from, Pattern groups) {
        String glob = clusterDir.toAbsolutePath() + "/dt=*/hour=*/*.ndjson.gz";
        String sql = "SELECT \"group\", snapshot_time, sum(lag) AS lag, max(lag_seconds) AS max_lag_seconds"
                + " FROM read_json(" + literal(glob) + ", format = 'newline_delimited', compression = 'gzip',"
                + " hive_partitioning = true, hive_types_autocast = false, columns = " + COLUMNS + ")"
                + " WHERE (dt > ? OR (dt = ? AND hour >= ?)) AND snapshot_time >= ?"
                + " GROUP BY \"group\", snapshot_time ORDER BY \"group\", snapshot_time";
        List<Point> points = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = c.createStatement()) {
                // never fetch an extension: json and gzip are built in, and a run must not reach the network
                s.execute("SET autoinstall_known_extensions = false");
                s.execute("SET autoload_known_extensions = false");
            }
            if (!hasHistory(c, glob)) {
                return points;
            }
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setString(1, DAY.format(from));
                q.setString(2, DAY.format(from));
                q.setString(3, HOUR.format(from));
                q.setObject(4, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        String name = r.getString(1);
                        if (groups.matcher(name).matches()) {
                            double seconds = r.getDouble(4);
                            Double maxLagSeconds = r.wasNull() ? null : seconds;
                            points.add(new Point(name, r.getObject(2, OffsetDateTime.class).toInstant(), r.getLong(3),
                                    maxLagSeconds));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new ConfigException("reading the history in " + clusterDir + ": " + e.getMessage());
        }
        return points;
    }

    /** DuckDB fails on a glob that matches no file; a cluster directory with no history yet is simply empty. */
    private static boolean hasHistory(Connection c, String glob) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM glob("
                + literal(glob) + ")")) {
            r.next();
            return r.getLong(1) > 0;
        }
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
        return s.matches("[^\",\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
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
