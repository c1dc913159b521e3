package io.lagsnap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.trends.SeriesKey;
import io.lagsnap.core.trends.TrendCodec;
import io.lagsnap.core.trends.TrendState;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.format.HtmlPage;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.DemoWorkload;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.RequiredTool;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page of a real run, as a person sees it: headless Chromium (driven through chromedriver) loads the
 * object-store sink's page ({@code cluster=local/index.html} in a file:// store) offline, the test reads the rendered
 * text, opens a group by clicking it, and takes the screenshot the docs show (target/status-page.png). Three runs
 * share a trend state, so each group's chart has exactly three points: billing's commits advance between the runs
 * (status OK), every other group's stand still (STALL) but archiver's, which lost data (ERR).
 */
class StatusPageBrowserTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(DemoWorkload.BROKER);
    static final Path SCREENSHOT = Path.of("target", "status-page.png");
    static final int RUNS = 3;
    static final int REFRESH_SECONDS = 600;

    @TempDir
    static Path dir;
    static RunReport report;
    static Instant runStart;
    static Instant runEnd;
    static WebDriver browser;

    @BeforeAll
    static void runAndOpenThePage() throws Exception {
        DemoWorkload.buildWithMonitoringCases(KAFKA.broker(), System.currentTimeMillis());
        Path store = Files.createDirectories(dir.resolve("store"));
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [exporter]
                granularity = "partition"
                [run]
                state = "%s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                [[sinks]]
                type = "object_store"
                url = "%s"
                html = true
                refresh_seconds = %d
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                """.formatted(dir.resolve("state").toUri(), KAFKA.broker().bootstrapServers(), store.toUri(),
                REFRESH_SECONDS, dir.resolve("rows.ndjson")), "test.toml");
        // billing (Empty, 180/170/200 of 300 per partition) commits 20 more per partition before runs 2 and 3
        for (int run = 1; run <= RUNS; run++) {
            if (run > 1) {
                long ahead = 20L * (run - 1);
                KAFKA.broker().scenario().commit("billing", Map.of(new TopicPartition("orders", 0), 180 + ahead,
                        new TopicPartition("orders", 1), 170 + ahead, new TopicPartition("orders", 2), 200 + ahead));
            }
            runStart = Instant.now();
            report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(60)), Shard.ALL);
            runEnd = Instant.now();
            assertThat(report.exitCode()).as(report.toJson()).isEqualTo(RunReport.EXIT_OK);
        }
        browser = headlessChromium(dir.resolve("chromium-profile"));
        browser.get(store.resolve("cluster=local/index.html").toUri().toString());
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void groupsAreListedByTimeLagWithNamesShownAsTextNeverAsMarkup() {
        assertThat(browser.getTitle()).isEqualTo("Consumer lag: local");
        List<String> groups = browser.findElements(By.cssSelector("summary .name")).stream()
                .map(WebElement::getText).toList();
        assertThat(groups).containsExactlyElementsOf(DemoWorkload.GROUPS_BY_TIME_LAG);
        // the HTML in the group name stayed text: no <b> element was made from it
        assertThat(browser.findElements(By.cssSelector(".groups b"))).isEmpty();

        String archiver = browser.findElements(By.cssSelector("summary")).get(0).getText();
        // clickstream/0: committed 150 below the low watermark 200 of 500 records: 50 lost, ratio 350/300
        assertThat(archiver).startsWith("archiver\nERR\nEmpty\n").endsWith("\n116.7 %\n50 lost");
        assertThat(browser.findElement(By.cssSelector("summary .badge.loss")).getText()).isEqualTo("50 lost");
    }

    @Test
    void eachGroupHasItsStatusAndAChartWithAPointPerRun() throws Exception {
        TrendState state = ((TrendCodec.Loaded) TrendCodec.decode(Files.readAllBytes(
                dir.resolve("state/cluster=local/trend.json.gz")), "local")).state();
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        DemoWorkload.GROUPS_BY_TIME_LAG.forEach(g -> expected.put(g, "STALL"));
        expected.put("archiver", "ERR");
        expected.put("billing", "OK");
        List<WebElement> summaries = browser.findElements(By.cssSelector("summary.row"));
        assertThat(summaries).hasSize(expected.size());
        for (WebElement summary : summaries) {
            String group = summary.findElement(By.cssSelector(".name")).getText();
            assertThat(summary.findElement(By.cssSelector(".status")).getText()).as(group)
                    .isEqualTo(expected.get(group));
            WebElement chart = summary.findElement(By.cssSelector(".chart svg"));
            assertThat(chart.isDisplayed()).as(group).isTrue();
            assertThat(chart.getSize().getWidth()).as(group).isEqualTo(160);
            // one lag point per run; one time-lag point per run that read a record timestamp for the group
            assertThat(points(chart.findElement(By.cssSelector("polyline:not(.time)")))).as(group).isEqualTo(RUNS);
            long timed = state.series().get(SeriesKey.ofGroup(group)).points().stream()
                    .filter(p -> p.lagSeconds() != null).count();
            assertThat(chart.findElements(By.cssSelector("polyline.time")))
                    .as(group).hasSize(timed == 0 ? 0 : 1)
                    .allSatisfy(line -> assertThat(points(line)).isEqualTo(timed));
        }
        // the demo reads a record timestamp for every group: each chart has its time-lag line
        assertThat(browser.findElements(By.cssSelector(".chart polyline.time"))).hasSize(expected.size());
        // billing gained 20 records per partition per run: its lag line falls from left to right
        WebElement billing = summaries.stream().filter(s -> s.getText().startsWith("billing\n")).findFirst()
                .orElseThrow();
        List<double[]> line = coordinates(billing.findElement(By.cssSelector(".chart polyline:not(.time)")));
        assertThat(line.get(0)[1]).isLessThan(line.get(1)[1]);
        assertThat(line.get(1)[1]).isLessThan(line.get(2)[1]);
    }

    @Test
    void rowsCarryTheTrendOfTheirPartition() throws Exception {
        // partition granularity: archiver's clickstream/0 lost data (ERR), clickstream/1 stands still with lag
        List<JsonNode> archiver = rowsOf("archiver");
        assertThat(archiver).extracting(r -> r.get("partition").asInt() + " " + r.get("status").asText())
                .containsExactlyInAnyOrder("0 ERR", "1 STALL");
        assertThat(archiver).allSatisfy(r -> {
            assertThat(r.get("consume_rate").asDouble()).isZero();
            assertThat(r.get("eta_seconds").asText()).isEqualTo("Infinity");
        });
        // billing gains 20 records per partition per run on a log that does not grow: a finite ETA
        assertThat(rowsOf("billing")).hasSize(3).allSatisfy(r -> {
            assertThat(r.get("status").asText()).isEqualTo("OK");
            assertThat(r.get("consume_rate").asDouble()).isPositive();
            assertThat(r.get("produce_rate").asDouble()).isZero();
            assertThat(r.get("eta_seconds").asDouble()).isCloseTo(
                    r.get("lag").asDouble() / r.get("consume_rate").asDouble(), within(1e-6));
        });
    }

    private static List<JsonNode> rowsOf(String group) throws Exception {
        List<JsonNode> rows = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("rows.ndjson"))) {
            JsonNode row = new ObjectMapper().readTree(line);
            if (row.get("group").asText().equals(group)) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void statusesHaveTheirColoursAndTheLegendExplainsThem() {
        WebElement err = browser.findElement(By.cssSelector("summary .status .badge.s-ERR"));
        assertThat(err.getCssValue("background-color")).isEqualTo("rgba(122, 39, 26, 1)");
        assertThat(err.getCssValue("color")).isEqualTo("rgba(255, 255, 255, 1)");
        assertThat(browser.findElement(By.cssSelector("summary .status .badge.s-STALL"))
                .getCssValue("background-color")).isEqualTo("rgba(255, 234, 213, 1)");
        assertThat(browser.findElement(By.cssSelector("summary .status .badge.s-OK"))
                .getCssValue("background-color")).isEqualTo("rgba(220, 250, 230, 1)");
        // past retention (data lost) and near retention are told apart
        assertThat(browser.findElement(By.cssSelector("summary .num.over")).getCssValue("background-color"))
                .isEqualTo("rgba(180, 35, 24, 1)");
        assertThat(browser.findElements(By.cssSelector(".legend li")).stream().map(WebElement::getText).toList())
                .containsExactly("OK caught up or catching up",
                        "WARN falling behind: lag grew at every step while commits advanced",
                        "REWIND the committed offset went backwards", "STALL commits stand still with lag",
                        "STOP commits stand still with lag, no members, for longer than the threshold",
                        "ERR data loss: committed offset below the log start", "lag",
                        "time lag (each line scaled to its own maximum)", "80.0 % retention ratio near retention",
                        "> 100.0 % retention ratio past retention: data lost");
    }

    @Test
    void thePageReloadsAtTheConfiguredIntervalAndStatesItsSnapshotTime() {
        assertThat(browser.findElement(By.cssSelector("meta[http-equiv=refresh]")).getAttribute("content"))
                .isEqualTo(String.valueOf(REFRESH_SECONDS));
        WebElement when = browser.findElement(By.cssSelector("header .when"));
        assertThat(when.getText()).isEqualTo("Snapshot " + java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.parse(browser.findElement(By.cssSelector("section.cluster .meta time"))
                        .getAttribute("datetime"))));
        assertThat(when.getCssValue("font-size")).isEqualTo("18px");
    }

    private static int points(WebElement polyline) {
        return coordinates(polyline).size();
    }

    private static List<double[]> coordinates(WebElement polyline) {
        return java.util.Arrays.stream(polyline.getAttribute("points").trim().split("\\s+"))
                .map(xy -> java.util.Arrays.stream(xy.split(",")).mapToDouble(Double::parseDouble).toArray())
                .toList();
    }

    @Test
    void theHeaderShowsTheSnapshotTimeHowLongCollectionTookAndTheDataLoss() {
        WebElement meta = browser.findElement(By.cssSelector("section.cluster .meta"));
        Instant snapshotTime = Instant.parse(meta.findElement(By.tagName("time")).getAttribute("datetime"));
        assertThat(snapshotTime).isBetween(runStart, runEnd);
        long took = report.clusters().get(0).duration().toMillis();
        assertThat(meta.getText()).startsWith("Snapshot time ")
                .contains(" · collection took " + (took < 1000 ? took + " ms" : String.format(java.util.Locale.ROOT,
                        "%.2f s", took / 1000.0)) + " (list ")
                .contains(" · 8 groups · 15 group partitions · data loss on 1 partition");
        assertThat(browser.findElement(By.cssSelector("section.cluster h2")).getText()).isEqualTo("Cluster local up");
        assertThat(browser.findElement(By.cssSelector("section.cluster .error")).getText())
                .isEqualTo("1 item error: configs/authorization × 1");
    }

    @Test
    void aGroupOpensOntoItsPartitionTableWhenClicked() throws Exception {
        // taken first, as the page opens: the worst group expanded, the others closed
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(shot.getWidth()).isEqualTo(1280);
        // the data-loss badge and the "up" badge are painted in their colours
        assertThat(pixels(shot, 0xFEE4E2)).as("data-loss red").isGreaterThan(100);
        assertThat(pixels(shot, 0xDCFAE6)).as("up green").isGreaterThan(100);

        List<WebElement> details = browser.findElements(By.cssSelector("details.group"));
        assertThat(details.get(0).findElement(By.tagName("table")).isDisplayed()).isTrue();
        WebElement cache = details.get(1);
        WebElement table = cache.findElement(By.tagName("table"));
        assertThat(table.isDisplayed()).isFalse();

        cache.findElement(By.tagName("summary")).click();

        assertThat(table.isDisplayed()).isTrue();
        // the same run's NDJSON row gives the exact time lag the page rounds
        JsonNode row = rowOf("customer-cache");
        assertThat(table.findElements(By.cssSelector("tbody tr"))).singleElement().satisfies(tr ->
                assertThat(tr.getText()).isEqualTo("customers (compacted) 0 60 0 100 40 "
                        + HtmlPage.seconds(row.get("lag_seconds").asDouble()) + " 40.0 % 0 none"));
    }

    private static JsonNode rowOf(String group) throws Exception {
        for (String line : Files.readAllLines(dir.resolve("rows.ndjson"))) {
            JsonNode row = new ObjectMapper().readTree(line);
            if (row.get("group").asText().equals(group)) {
                return row;
            }
        }
        throw new AssertionError("no row of " + group);
    }

    private static long pixels(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Debian's chromium and chromedriver, offline: nothing is downloaded, and a missing browser fails the test. */
    private static WebDriver headlessChromium(Path profile) {
        File chromium = RequiredTool.onPath("chromium").toFile();
        File chromedriver = RequiredTool.onPath("chromedriver").toFile();
        ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().build(), options);
    }
}
