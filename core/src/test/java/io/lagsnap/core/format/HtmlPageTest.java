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
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Phase;
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
        HtmlPage.write(c, out);
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
                + "<span class=\"num\">1 h 02 m</span><span class=\"num near\">128.6 %</span>"
                + "<span class=\"num\"><span class=\"badge loss\">20 lost</span></span></summary>");
        assertThat(html).contains("<details class=\"group\"><summary class=\"row\"><span class=\"name\">near</span>"
                + "<span><span class=\"badge PreparingRebalance\">PreparingRebalance</span></span>"
                + "<span class=\"num\">85</span><span class=\"num\">3 m 20 s</span>"
                + "<span class=\"num near\">85.0 %</span><span class=\"num\">none</span></summary>");
        assertThat(html).contains("<span class=\"num\">unknown</span>")
                .contains("<td>t</td><td>0</td><td>10</td><td>30</td><td>100</td><td>90</td><td>1 h 02 m</td>"
                        + "<td class=\"near\">128.6 %</td><td class=\"loss\">20</td><td>none</td>")
                .contains("Snapshot time <time datetime=\"2026-11-22T03:04:05Z\">2026-11-22 03:04:05 UTC</time>"
                        + " · collection took 1.73 s (list 12 ms, sampling 1.25 s) · 4 groups · 4 group partitions"
                        + " · <span class=\"badge loss\">data loss on 1 partition</span>")
                .contains("<p class=\"error\">1 item error: configs/authorization × 1</p>");
    }

    @Test
    void aClusterThatWasNotCollectedSaysWhy() throws Exception {
        String html = page(ClusterSnapshot.down("down<1>", Map.of(), Granularity.TOPIC, NOW,
                "cannot list consumer groups: <timeout>", Map.of(Phase.LIST, Duration.ofSeconds(2)),
                Duration.ofSeconds(2), List.of()));

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
