package io.lagsnap.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
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
 * The status page of a real run, as a person sees it: headless Chromium (driven through chromedriver) loads the file
 * sink's page offline, the test reads the rendered text, opens a group by clicking it, and takes the screenshot the
 * README shows (target/status-page.png).
 */
class StatusPageBrowserTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single(DemoWorkload.BROKER);
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    @TempDir
    static Path dir;
    static RunReport report;
    static Instant runStart;
    static Instant runEnd;
    static WebDriver browser;

    @BeforeAll
    static void runAndOpenThePage() throws Exception {
        DemoWorkload.buildWithMonitoringCases(KAFKA.broker(), System.currentTimeMillis());
        Path page = dir.resolve("lag.html");
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                [[sinks]]
                type = "file"
                format = "html"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                """.formatted(KAFKA.broker().bootstrapServers(), page, dir.resolve("rows.ndjson")), "test.toml");
        runStart = Instant.now();
        report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(60)), Shard.ALL);
        runEnd = Instant.now();
        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_OK);

        browser = headlessChromium(dir.resolve("chromium-profile"));
        browser.get(page.toUri().toString());
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
        assertThat(archiver).startsWith("archiver\nEmpty\n").endsWith("\n116.7 %\n50 lost");
        assertThat(browser.findElement(By.cssSelector("summary .badge.loss")).getText()).isEqualTo("50 lost");
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
