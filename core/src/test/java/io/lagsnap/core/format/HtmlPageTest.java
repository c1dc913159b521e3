package io.lagsnap.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.math.LagMath;
import io.lagsnap.sink.api.format.HtmlPage;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.Isolation;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.LagPoint;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.SeriesTrend;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.sink.api.model.Watermarks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page's markup from a snapshot built with the lag math (the browser test renders a real run's page). */
class HtmlPageTest {
    private static final Instant NOW = Instant.parse("2026-11-22T03:04:05Z");
    private static final String NASTY = "<script>alert('x')</script> & \"co\"";

    private static PartitionLag row(String group, GroupState state, String topic, long committed, long low,
                                    long high, Long sampledTimestampMs) {
        return LagMath.row(new LagMath.GroupContext(group, GroupType.CONSUMER, state, Isolation.READ_UNCOMMITTED),
                new LagMath.Position(topic, 0, committed, null, new Watermarks(low, high, high), Member.NONE, false),
                new LagMath.Sample(sampledTimestampMs == null ? null : committed, sampledTimestampMs), NOW);
    }

    private static String page(ClusterSnapshot c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlPage.write(c, 0, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ClusterSnapshot cluster(List<PartitionLag> rows, List<ItemError> errors) {
        Map<String, LagMath.GroupContext> states = new LinkedHashMap<>();
        rows.forEach(r -> states.put(r.group(), new LagMath.GroupContext(r.group(), r.groupType(), r.groupState(),
                r.lagIsolation())));
        Map<Phase, Duration> phases = new LinkedHashMap<>();
        phases.put(Phase.LIST, Duration.ofMillis(12));
        phases.put(Phase.SAMPLING, Duration.ofMillis(1_250));
        return ClusterSnapshot.builder("prod <eu>").granularity(Granularity.PARTITION).time(NOW).rows(rows)
                .groups(LagMath.groupAggregates(rows, states)).groupTopics(LagMath.groupTopicAggregates(rows))
                .phaseDurations(phases).duration(Duration.ofMillis(1_734)).errors(errors).build();
    }

    @Test
    void everyNameIsEscapedAndThePageForbidsScriptsAndExternalLoads() throws Exception {
        String html = page(cluster(List.of(row(NASTY, GroupState.EMPTY, "t&<x>", 5, 0, 10,
                NOW.toEpochMilli() - 30_000)), List.of()));

        assertThat(html).doesNotContain("<script").doesNotContain("'x'")
                .contains("<span class=\"name\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;co&#34;"
                        + "</span>")
                .contains("<td>t&amp;&lt;x&gt;</td>")
                .contains("<title>Consumer lag: prod &lt;eu&gt;</title>")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'\">")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("src=");
    }

    @Test
    void groupsComeWorstTimeLagFirstWithRetentionAndDataLossHighlighted() throws Exception {
        long ms = NOW.toEpochMilli();
        String html = page(cluster(List.of(
                row("fresh", GroupState.STABLE, "t", 99, 0, 100, ms - 2_000),
                row("unsampled", GroupState.EMPTY, "t", 90, 0, 100, null),
                // committed below the low watermark: 20 messages lost, ratio (100-10)/(100-30) = 128.6 %
                row("lossy", GroupState.EMPTY, "t", 10, 30, 100, ms - 3_723_000),
                // ratio 85 %: near retention
                row("near", GroupState.PREPARING_REBALANCE, "u", 15, 0, 100, ms - 200_000)),
                List.of(new ItemError(Phase.CONFIGS, "t", ErrorKind.AUTHORIZATION, "denied"))));

        assertThat(html.indexOf(">lossy<")).isLessThan(html.indexOf(">near<"));
        assertThat(html.indexOf(">near<")).isLessThan(html.indexOf(">fresh<"));
        assertThat(html.indexOf(">fresh<")).isLessThan(html.indexOf(">unsampled<"));
        // the worst group starts open
        assertThat(html).contains("<details class=\"group\" open><summary class=\"row\"><span class=\"name\">lossy"
                + "</span><span><span class=\"badge Empty\">Empty</span></span><span class=\"num\">90</span>"
                + "<span class=\"num\">1 h 02 m</span><span class=\"num over\">128.6 %</span>"
                + "<span class=\"num\"><span class=\"badge loss\">20 lost</span></span></summary>");
        assertThat(html).contains("<details class=\"group\"><summary class=\"row\"><span class=\"name\">near</span>"
                + "<span><span class=\"badge PreparingRebalance\">PreparingRebalance</span></span>"
                + "<span class=\"num\">85</span><span class=\"num\">3 m 20 s</span>"
                + "<span class=\"num near\">85.0 %</span><span class=\"num\">none</span></summary>");
        assertThat(html).contains("<span class=\"num\">unknown</span>")
                .contains("<td>t</td><td>0</td><td>10</td><td>30</td><td>100</td><td>90</td><td>1 h 02 m</td>"
                        + "<td class=\"over\">128.6 %</td><td class=\"loss\">20</td><td>none</td>")
                .contains("Snapshot time <time datetime=\"2026-11-22T03:04:05Z\">2026-11-22 03:04:05 UTC</time>"
                        + " · collection took 1.73 s (list 12 ms, sampling 1.25 s) · 4 groups · 4 group partitions"
                        + " · <span class=\"badge loss\">data loss on 1 partition</span>")
                .contains("<p class=\"error\">1 item error: configs/authorization × 1</p>");
    }

    /** The lossy, near and fresh groups of a run that keeps a trend state: two with a trend, one without. */
    private static ClusterSnapshot withTrends() {
        long ms = NOW.toEpochMilli();
        ClusterSnapshot c = cluster(List.of(
                row("lossy", GroupState.EMPTY, "t", 10, 30, 100, ms - 3_723_000),
                row("near", GroupState.PREPARING_REBALANCE, "u", 15, 0, 100, ms - 200_000),
                row("fresh", GroupState.STABLE, "t", 99, 0, 100, ms - 2_000)), List.of());
        return c.toBuilder().trends(List.of(
                SeriesTrend.builder("fresh").status("OK", 0).points(List.of(new LagPoint(NOW, 1, 2.0))).build(),
                SeriesTrend.builder("lossy").status("ERR", 5).rates(0.0, 0.5, Double.POSITIVE_INFINITY)
                        .points(List.of(new LagPoint(NOW.minusSeconds(120), 60, null),
                                new LagPoint(NOW.minusSeconds(60), 80, 3000.0), new LagPoint(NOW, 90, 3723.0)))
                        .build(),
                SeriesTrend.builder("lossy").topic("t").partition(0).status("ERR", 5).build())).build();
    }

    @Test
    void withTrendsEachGroupHasItsStatusAndAChartOfLagAndTimeLagOverItsPoints() throws Exception {
        String html = page(withTrends());

        assertThat(html).contains("<div class=\"groups trends\">\n<div class=\"row head\"><span>Group</span>"
                + "<span>Status</span><span>State</span><span class=\"num\">Lag</span>"
                + "<span class=\"num\">Time lag</span><span class=\"num\">Retention ratio</span>"
                + "<span class=\"num\">Data loss</span><span>Lag and time lag</span></div>");
        // lossy: 3 points over 2 minutes; lag 60, 80, 90 scaled to 36 high; time lag only where read (2 points)
        assertThat(html).contains("<details class=\"group\" open><summary class=\"row\"><span class=\"name\">lossy"
                + "</span><span class=\"status\" title=\"not catching up\"><span class=\"badge s-ERR\">ERR</span>"
                + "</span><span><span class=\"badge Empty\">Empty</span></span><span class=\"num\">90</span>"
                + "<span class=\"num\">1 h 02 m</span><span class=\"num over\">128.6 %</span>"
                + "<span class=\"num\"><span class=\"badge loss\">20 lost</span></span>"
                + "<span class=\"chart\"><svg viewBox=\"0 0 160 36\" role=\"img\" "
                + "aria-label=\"lag and time lag of lossy over 3 snapshots\">\n"
                + "<polyline points=\"0.0,12.0 80.0,4.0 160.0,0.0\"/>\n"
                + "<polyline class=\"time\" points=\"80.0,7.0 160.0,0.0\"/>\n</svg></span></summary>");
        // no trend for near (no series yet): the cells are there, empty
        assertThat(html).contains("<span class=\"name\">near</span><span class=\"status\">none</span>")
                .contains("<span class=\"num\">none</span><span class=\"chart\"></span></summary>");
        // fresh: one point, no window, so no rates and no ETA in the title
        assertThat(html).contains("<span class=\"name\">fresh</span><span class=\"status\"><span "
                + "class=\"badge s-OK\">OK</span></span>")
                .contains("aria-label=\"lag and time lag of fresh over 1 snapshot\">\n<polyline points=\"0.0,0.0\"/>\n"
                        + "<polyline class=\"time\" points=\"0.0,0.0\"/>\n</svg>");
        assertThat(html.split("<svg viewBox=\"0 0 160 36\"", -1)).hasSize(3);
        // drawn at its viewBox's size, one CSS pixel per unit
        assertThat(html)
                .contains(".chart svg{display:block;overflow:visible;width:160px;height:36px;background:#f6f8fa}");
    }

    @Test
    void theLegendNamesEveryStatusTheLinesAndTheRetentionColours() throws Exception {
        String legend = "<ul class=\"legend\"><li><span class=\"badge s-OK\">OK</span> caught up or catching up</li>"
                + "<li><span class=\"badge s-WARN\">WARN</span> falling behind: lag grew at every step while commits "
                + "advanced</li><li><span class=\"badge s-REWIND\">REWIND</span> the committed offset went backwards"
                + "</li><li><span class=\"badge s-STALL\">STALL</span> commits stand still with lag</li>"
                + "<li><span class=\"badge s-STOP\">STOP</span> commits stand still with lag, no members, for longer "
                + "than the threshold</li><li><span class=\"badge s-ERR\">ERR</span> data loss: committed offset "
                + "below the log start</li>"
                + "<li><svg viewBox=\"0 0 28 10\"><polyline points=\"0,5 28,5\"/></svg> lag</li>"
                + "<li><svg viewBox=\"0 0 28 10\"><polyline class=\"time\" points=\"0,5 28,5\"/></svg> time lag "
                + "(each line scaled to its own maximum)</li>";
        String ratios = "<li><span class=\"badge near\">80.0 %</span> retention ratio near retention</li>"
                + "<li><span class=\"badge over\">&gt; 100.0 %</span> retention ratio past retention: data lost</li>"
                + "</ul>\n";
        assertThat(page(withTrends())).contains("<header><h1>Consumer lag</h1><p class=\"when\">Snapshot "
                + "2026-11-22 03:04:05 UTC</p>\n" + legend + ratios + "</header>");
        // without trends only the retention colours are explained, and no status column is drawn
        String plain = page(withTrends().toBuilder().trends(List.of()).build());
        assertThat(plain).contains("<ul class=\"legend\">" + ratios).doesNotContain("badge s-OK").doesNotContain("<svg")
                .contains("<div class=\"groups\">\n<div class=\"row head\"><span>Group</span><span>State</span>");
    }

    @Test
    void theClusterPageReloadsAtTheScheduleIntervalAndTheRunPageNever() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlPage.write(withTrends(), 60, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("<meta http-equiv=\"Content-Security-Policy\" "
                + "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                + "<meta http-equiv=\"refresh\" content=\"60\">\n");
        assertThat(page(withTrends())).doesNotContain("http-equiv=\"refresh\"");
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        HtmlPage.write(new Snapshot("0a1b2c3d4e5f", NOW, Shard.ALL, List.of(withTrends())), run);
        assertThat(run.toString(StandardCharsets.UTF_8)).doesNotContain("http-equiv=\"refresh\"")
                .contains("<p class=\"when\">Run 0a1b2c3d4e5f started 2026-11-22 03:04:05 UTC</p>");
    }

    @Test
    void aClusterThatWasNotCollectedSaysWhy() throws Exception {
        String html = page(ClusterSnapshot.builder("down<1>").time(NOW).up(false)
                .error("cannot list consumer groups: <timeout>")
                .phaseDurations(Map.of(Phase.LIST, Duration.ofSeconds(2))).duration(Duration.ofSeconds(2)).build());

        assertThat(html).contains("<h2>Cluster down&lt;1&gt; <span class=\"badge down\">down</span></h2>")
                .contains("<p class=\"error\">Not collected: cannot list consumer groups: &lt;timeout&gt;</p>")
                .doesNotContain("<details");
    }

    @Test
    void timeLagReadsLikeAPersonWouldSayIt() {
        assertThat(HtmlPage.seconds(null)).isEqualTo("unknown");
        assertThat(HtmlPage.seconds(0.42)).isEqualTo("0.4 s");
        assertThat(HtmlPage.seconds(42.4)).isEqualTo("42 s");
        assertThat(HtmlPage.seconds(187.0)).isEqualTo("3 m 07 s");
        assertThat(HtmlPage.seconds(7_500.0)).isEqualTo("2 h 05 m");
        assertThat(HtmlPage.seconds(273_600.0)).isEqualTo("3 d 04 h");
    }
}
