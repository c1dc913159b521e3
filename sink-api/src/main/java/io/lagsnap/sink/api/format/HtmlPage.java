package io.lagsnap.sink.api.format;

import static org.owasp.encoder.Encode.forHtml;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.SeriesTrend;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A lag status page for people: per cluster, the groups sorted by time lag (worst first) with state, lag, time lag,
 * retention ratio and data loss, each group opening onto its partitions ({@code <details>}, no script). When the run
 * keeps a trend state, each group also gets its trend status and an inline SVG chart of lag and time lag over its
 * kept points ({@link SvgChart}). One self-contained file: inline CSS and SVG, system fonts, and a
 * Content-Security-Policy that forbids every script and every external load, so it opens offline and names from
 * Kafka (HTML-escaped throughout) can never run code. Written to a bucket with static hosting, it is a serverless
 * status page; a {@code <meta http-equiv="refresh">} at the schedule's interval reloads it, as the page has no
 * script to count its own age.
 */
public final class HtmlPage {
    /** A ratio at or above this is shown as a warning: the group is near losing data to retention. */
    static final double RETENTION_WARNING = 80.0;
    /** A ratio above this means data loss: the committed offset is below the log start. */
    static final double RETENTION_LOST = 100.0;
    /** The status chart's size in CSS pixels (and SVG user units). */
    static final int CHART_WIDTH = 160;
    static final int CHART_HEIGHT = 36;
    /** Trend statuses in code order, with what each means (docs/trends.md). */
    private static final List<Map.Entry<String, String>> STATUSES = List.of(
            Map.entry("OK", "caught up or catching up"),
            Map.entry("WARN", "falling behind: lag grew at every step while commits advanced"),
            Map.entry("REWIND", "the committed offset went backwards"),
            Map.entry("STALL", "commits stand still with lag"),
            Map.entry("STOP", "commits stand still with lag, no members, for longer than the threshold"),
            Map.entry("ERR", "data loss: committed offset below the log start"));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Comparator<GroupLag> WORST_FIRST = Comparator
            .comparing((GroupLag g) -> g.maxLagSeconds() == null ? Double.NEGATIVE_INFINITY : g.maxLagSeconds())
            .thenComparingLong((GroupLag g) -> g.maxLag() == null ? -1 : g.maxLag()).reversed()
            .thenComparing(GroupLag::group);
    private static final String STYLE = """
            :root{color-scheme:light;--bad:#b42318;--bad-bg:#fee4e2;--warn:#93370d;--warn-bg:#fef0c7;\
            --ok:#067647;--ok-bg:#dcfae6;--muted:#667085;--line:#eaecf0}
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
            margin:0;padding:24px 32px;color:#101828;background:#f9fafb}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0 0 4px}
            .meta{color:var(--muted);margin:0 0 12px}
            section.cluster{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;\
            margin:16px 0}
            .badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;\
            vertical-align:middle}
            .up,.Stable{color:var(--ok);background:var(--ok-bg)}
            .down,.Dead,.Unknown,.loss{color:var(--bad);background:var(--bad-bg)}
            .partial,.PreparingRebalance,.CompletingRebalance,.Assigning,.Reconciling,.near{color:var(--warn);\
            background:var(--warn-bg)}
            .Empty{color:#344054;background:#f2f4f7}
            .over{color:#fff;background:var(--bad)}
            .s-OK{color:var(--ok);background:var(--ok-bg)}.s-WARN{color:var(--warn);background:var(--warn-bg)}
            .s-REWIND{color:#5925dc;background:#ebe9fe}.s-STALL{color:#c4320a;background:#ffead5}
            .s-STOP{color:var(--bad);background:var(--bad-bg)}.s-ERR{color:#fff;background:#7a271a}
            .when{font-size:18px;font-weight:600;margin:0 0 8px}
            .legend{display:flex;flex-wrap:wrap;gap:6px 18px;color:var(--muted);font-size:12px;margin:0 0 8px;\
            padding:0;list-style:none}
            .legend svg{width:28px;height:10px;vertical-align:middle}
            .error{color:var(--bad)}
            .row{display:grid;grid-template-columns:minmax(14rem,3fr) 10rem 7rem 8rem 9rem 10rem;gap:8px;\
            align-items:center;padding:7px 8px;border-bottom:1px solid var(--line)}
            .trends .row{grid-template-columns:minmax(10rem,3fr) 5rem 9rem 6rem 7rem 7rem 7rem 10.5rem}
            .head{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
            summary{cursor:pointer;list-style:none}summary::-webkit-details-marker{display:none}
            summary:hover{background:#f9fafb}
            .name{font-weight:600;overflow-wrap:anywhere}
            summary .name::before{content:"\\25B8";display:inline-block;width:1.1em;color:var(--muted)}
            details[open]>summary .name::before{content:"\\25BE"}
            .num{text-align:right;font-variant-numeric:tabular-nums}
            table{border-collapse:collapse;margin:6px 0 12px 2.2em;font-size:13px}
            th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:right;\
            font-variant-numeric:tabular-nums}
            th{color:var(--muted);font-weight:600}th:first-child,td:first-child,th:last-child,td:last-child\
            {text-align:left}
            td.loss,td.near,td.over,.num.over{font-weight:600}.none{margin-left:2.2em}
            footer{color:var(--muted);font-size:12px;margin-top:20px}
            """ + ".chart svg{display:block;overflow:visible;width:" + CHART_WIDTH + "px;height:" + CHART_HEIGHT
            + "px;background:#f6f8fa}" + SvgChart.STYLE + "\n";

    private HtmlPage() {
    }

    /** One page with a section per cluster (the file sink's page); it does not reload itself. */
    public static void write(Snapshot snapshot, OutputStream out) throws IOException {
        write(snapshot.clusters(), "Run " + snapshot.runId() + " started " + TIME.format(snapshot.startedAt()), 0, out);
    }

    /**
     * One cluster's page (the object-store sink writes one per cluster), reloading itself every
     * {@code refreshSeconds} (the schedule's interval; 0: never).
     */
    public static void write(ClusterSnapshot cluster, int refreshSeconds, OutputStream out) throws IOException {
        write(List.of(cluster), "Snapshot " + TIME.format(cluster.time()), refreshSeconds, out);
    }

    private static void write(List<ClusterSnapshot> clusters, String subtitle, int refreshSeconds, OutputStream out)
            throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        w.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'\">\n");
        if (refreshSeconds > 0) {
            w.write("<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">\n");
        }
        w.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.write("<meta name=\"generator\" content=\"lagsnap\">\n");
        String names = clusters.stream().map(ClusterSnapshot::name).collect(Collectors.joining(", "));
        w.write("<title>Consumer lag: " + forHtml(names) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n");
        w.write("<body>\n<header><h1>Consumer lag</h1><p class=\"when\">" + forHtml(subtitle) + "</p>\n");
        legend(clusters.stream().anyMatch(c -> !c.trends().isEmpty()), w);
        w.write("</header>\n");
        for (ClusterSnapshot c : clusters) {
            cluster(c, w);
        }
        w.write("<footer>Written by lagsnap: one snapshot per run. Groups are sorted by time lag, worst first; "
                + "open a group for its partitions.</footer>\n</body>\n</html>\n");
        w.flush();
    }

    /** What the colours and lines mean; the statuses and the chart only when a cluster has trends. */
    private static void legend(boolean trends, Writer w) throws IOException {
        w.write("<ul class=\"legend\">");
        if (trends) {
            for (Map.Entry<String, String> s : STATUSES) {
                w.write("<li><span class=\"badge s-" + s.getKey() + "\">" + s.getKey() + "</span> " + s.getValue()
                        + "</li>");
            }
            w.write("<li><svg viewBox=\"0 0 28 10\"><polyline points=\"0,5 28,5\"/></svg> lag</li>"
                    + "<li><svg viewBox=\"0 0 28 10\"><polyline class=\"time\" points=\"0,5 28,5\"/></svg> time lag"
                    + " (each line scaled to its own maximum)</li>");
        }
        w.write("<li><span class=\"badge near\">" + percent(RETENTION_WARNING) + "</span> retention ratio near "
                + "retention</li><li><span class=\"badge over\">&gt; " + percent(RETENTION_LOST) + "</span> "
                + "retention ratio past retention: data lost</li></ul>\n");
    }

    private static void cluster(ClusterSnapshot c, Writer w) throws IOException {
        w.write("<section class=\"cluster\">\n<h2>Cluster " + forHtml(c.name()) + " ");
        w.write(c.up() ? "<span class=\"badge up\">up</span>" : "<span class=\"badge down\">down</span>");
        if (c.partial()) {
            w.write(" <span class=\"badge partial\">partial</span>");
        }
        w.write("</h2>\n<p class=\"meta\">Snapshot time <time datetime=\"" + c.time() + "\">"
                + TIME.format(c.time()) + "</time> · collection took " + duration(c.duration()));
        if (!c.phaseDurations().isEmpty()) {
            w.write(" (" + forHtml(c.phaseDurations().entrySet().stream()
                    .map(e -> e.getKey().label() + " " + duration(e.getValue())).collect(Collectors.joining(", "))) + ")");
        }
        w.write(" · " + c.groups().size() + " groups · " + c.rows().size() + " group partitions");
        if (c.dataLossPartitionCount() > 0) {
            w.write(" · <span class=\"badge loss\">data loss on " + c.dataLossPartitionCount()
                    + (c.dataLossPartitionCount() == 1 ? " partition" : " partitions") + "</span>");
        }
        w.write("</p>\n");
        if (!c.up()) {
            w.write("<p class=\"error\">Not collected: " + forHtml(String.valueOf(c.error())) + "</p>\n");
        }
        if (c.partial()) {
            w.write("<p class=\"meta\">The run deadline cut a phase short: some values may be missing.</p>\n");
        }
        if (!c.errors().isEmpty()) {
            String count = c.errors().size() + (c.errors().size() == 1 ? " item error: " : " item errors: ");
            w.write("<p class=\"error\">" + count + forHtml(c.errors().stream()
                    .collect(Collectors.groupingBy(e -> e.phase().label() + "/" + e.kind().label(), LinkedHashMap::new,
                            Collectors.counting()))
                    .entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                    .collect(Collectors.joining(", "))) + "</p>\n");
        }
        if (!c.groups().isEmpty()) {
            groups(c, w);
        }
        w.write("</section>\n");
    }

    private static void groups(ClusterSnapshot c, Writer w) throws IOException {
        Map<String, List<PartitionLag>> rowsByGroup = c.rows().stream()
                .collect(Collectors.groupingBy(PartitionLag::group, LinkedHashMap::new, Collectors.toList()));
        Map<String, SeriesTrend> trends = c.trends().stream().filter(SeriesTrend::isGroup)
                .collect(Collectors.toMap(SeriesTrend::group, t -> t, (a, b) -> a));
        boolean withTrends = !c.trends().isEmpty();
        w.write(withTrends ? "<div class=\"groups trends\">\n" : "<div class=\"groups\">\n");
        w.write("<div class=\"row head\"><span>Group</span>" + (withTrends ? "<span>Status</span>" : "")
                + "<span>State</span><span class=\"num\">Lag</span><span class=\"num\">Time lag</span>"
                + "<span class=\"num\">Retention ratio</span><span class=\"num\">Data loss</span>"
                + (withTrends ? "<span>Lag and time lag</span>" : "") + "</div>\n");
        boolean first = true;
        for (GroupLag g : c.groups().stream().sorted(WORST_FIRST).toList()) {
            List<PartitionLag> rows = rowsByGroup.getOrDefault(g.group(), List.of());
            double ratio = rows.stream().filter(PartitionLag::hasPosition).mapToDouble(PartitionLag::lagRetentionRatio)
                    .max().orElse(0);
            long lost = rows.stream().mapToLong(PartitionLag::messagesLost).sum();
            boolean loss = rows.stream().anyMatch(PartitionLag::dataLossDetected);
            // the worst group starts open, so the page shows what a partition table holds
            w.write(first ? "<details class=\"group\" open>" : "<details class=\"group\">");
            first = false;
            // the type is shown for every group but the default kind, so a consumer-only page looks as before
            String type = g.type() == GroupType.CONSUMER || g.type() == GroupType.CLASSIC ? ""
                    : " <span class=\"badge type\">" + g.type().label() + "</span>";
            SeriesTrend trend = trends.get(g.group());
            w.write("<summary class=\"row\"><span class=\"name\">" + forHtml(g.group()) + type + "</span>"
                    + (withTrends ? status(trend) : "")
                    + "<span><span class=\"badge " + g.state().displayName() + "\">" + g.state().displayName()
                    + "</span></span>"
                    + "<span class=\"num\">" + (g.sumLag() == null ? "never committed" : count(g.sumLag()))
                    + "</span>"
                    + "<span class=\"num\">" + seconds(g.maxLagSeconds()) + "</span>"
                    + "<span class=\"num" + ratioClass(ratio) + "\">" + percent(ratio) + "</span>"
                    + (loss ? "<span class=\"num\"><span class=\"badge loss\">" + count(lost) + " lost</span></span>"
                            : "<span class=\"num\">none</span>")
                    + (withTrends ? chart(g.group(), trend) : "")
                    + "</summary>\n");
            partitions(rows, g.state(), w);
            w.write("</details>\n");
        }
        w.write("</div>\n");
    }

    private static void partitions(List<PartitionLag> rows, GroupState state, Writer w) throws IOException {
        if (rows.isEmpty()) {
            w.write("<p class=\"meta none\">No committed offsets"
                    + (state == GroupState.STABLE ? " yet" : "") + ".</p>\n");
            return;
        }
        w.write("<table>\n<thead><tr><th>Topic</th><th>Partition</th><th>Committed</th><th>Low</th><th>High</th>"
                + "<th>Lag</th><th>Time lag</th><th>Retention ratio</th><th>Lost</th><th>Member</th></tr></thead>\n"
                + "<tbody>\n");
        for (PartitionLag r : rows) {
            w.write("<tr><td>" + forHtml(r.topic()) + (r.compactionDetected() ? " (compacted)" : "") + "</td>"
                    + "<td>" + r.partition() + "</td><td>" + (r.hasPosition() ? count(r.committedOffset()) : "none")
                    + "</td>"
                    + "<td>" + count(r.lowWatermark()) + "</td><td>" + count(r.highWatermark()) + "</td>"
                    + "<td>" + (r.hasPosition() ? count(r.reportedLag()) : count(r.lagIfReset()) + " if reset")
                    + "</td><td>" + seconds(r.lagSeconds()) + "</td>"
                    + (r.hasPosition()
                            ? "<td" + (ratioClass(r.lagRetentionRatio()).isEmpty() ? ""
                                    : " class=\"" + ratioClass(r.lagRetentionRatio()).strip() + "\"") + ">"
                                    + percent(r.lagRetentionRatio()) + "</td>"
                            : "<td>none</td>")
                    + "<td" + (r.dataLossDetected() ? " class=\"loss\"" : "") + ">" + count(r.messagesLost())
                    + "</td><td>" + (r.member().clientId().isEmpty() ? "none"
                            : forHtml(r.member().clientId() + " @ " + r.member().host())) + "</td></tr>\n");
        }
        w.write("</tbody>\n</table>\n");
    }

    /** " over" past retention (data lost), " near" from the warning ratio, "" below. */
    private static String ratioClass(double ratio) {
        if (ratio > RETENTION_LOST) {
            return " over";
        }
        return ratio >= RETENTION_WARNING ? " near" : "";
    }

    private static String status(SeriesTrend trend) {
        if (trend == null) {
            return "<span class=\"status\">none</span>";
        }
        String eta = trend.etaSeconds() == null ? ""
                : " title=\"" + (trend.etaSeconds().isInfinite() ? "not catching up"
                        : "catches up in " + seconds(trend.etaSeconds())) + "\"";
        String name = forHtml(trend.status());
        return "<span class=\"status\"" + eta + "><span class=\"badge s-" + name + "\">" + name + "</span></span>";
    }

    private static String chart(String group, SeriesTrend trend) {
        if (trend == null || trend.points().isEmpty()) {
            return "<span class=\"chart\"></span>";
        }
        int n = trend.points().size();
        return "<span class=\"chart\">" + SvgChart.svg(trend.points(), CHART_WIDTH, CHART_HEIGHT,
                "lag and time lag of " + group + " over " + n + (n == 1 ? " snapshot" : " snapshots")) + "</span>";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio);
    }

    /** "0.4 s", "42 s", "3 m 07 s", "2 h 05 m", "3 d 04 h"; "unknown" when no record timestamp was read. */
    public static String seconds(Double s) {
        if (s == null) {
            return "unknown";
        }
        if (s < 10) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long t = Math.round(s);
        if (t < 60) {
            return t + " s";
        }
        if (t < 3600) {
            return String.format(Locale.ROOT, "%d m %02d s", t / 60, t % 60);
        }
        if (t < 86_400) {
            return String.format(Locale.ROOT, "%d h %02d m", t / 3600, t % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%d d %02d h", t / 86_400, t % 86_400 / 3600);
    }

    private static String duration(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms"
                : String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
