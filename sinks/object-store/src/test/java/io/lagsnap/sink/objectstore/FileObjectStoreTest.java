package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.format.HtmlPage;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The object_store sink on file:// with snapshots of a real broker, found through the ServiceLoader like in a run. */
class FileObjectStoreTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    /** A name that needs encoding in a key: a space and a slash. */
    private static final String CLUSTER = "prod eu/1";
    private static final String RUN_ID = "0123456789ab";
    private static Snapshot snapshot;

    @TempDir
    Path dir;

    @BeforeAll
    static void scenario() {
        LagScenario.create(KAFKA.broker());
        snapshot = LagScenario.snapshot(KAFKA.broker(), CLUSTER, RUN_ID);
    }

    @Test
    void writesTheRowsAsOneGzipNdjsonObjectAtTheHiveKeyAndTheLatestSummary() throws Exception {
        Delivery delivery = deliver(sink(dir.toUri() + "", true), snapshot);

        ClusterSnapshot cluster = snapshot.clusters().get(0);
        String key = HistoryLayout.historyKey("", CLUSTER, cluster.time(), RUN_ID);
        assertThat(key).matches("cluster=prod%20eu%2F1/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/lagsnap-\\d{8}T\\d{6}Z-"
                + RUN_ID + "\\.ndjson\\.gz");
        String rollupKey = HistoryLayout.rollupKey("", CLUSTER, cluster.time(), RUN_ID);
        assertThat(rollupKey).isEqualTo(key.replace("cluster=prod%20eu%2F1/", "cluster=prod%20eu%2F1/rollup/")
                .replace(".ndjson.gz", ".json.gz"));
        assertThat(files(dir)).containsExactlyInAnyOrder(key, rollupKey, "cluster=prod%20eu%2F1/latest.json");
        assertThat(delivery.delivered()).isTrue();
        // readable by others, like any written file: the history is read by query engines and servers
        assertThat(Files.getPosixFilePermissions(dir.resolve(key)))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(delivery.detail()).isEqualTo("wrote 5 rows (" + Files.size(dir.resolve(key)) + " bytes) to "
                + "file://" + dir.toAbsolutePath().resolve(key) + " and its group rollup and latest.json");

        Rows.assertMatch(Files.readAllBytes(dir.resolve(key)), cluster);
        Rows.assertScenarioRollup(Files.readAllBytes(dir.resolve(rollupKey)), cluster);

        JsonNode latest = Rows.JSON.readTree(dir.resolve("cluster=prod%20eu%2F1/latest.json").toFile());
        assertThat(latest.get("cluster").asText()).isEqualTo(CLUSTER);
        assertThat(latest.get("snapshot_time").asText()).isEqualTo(cluster.time().toString());
        assertThat(latest.get("run_id").asText()).isEqualTo(RUN_ID);
        assertThat(latest.get("partial").asBoolean()).isFalse();
        assertThat(latest.get("history_key").asText()).isEqualTo(key);
        assertThat(latest.get("groups")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            GroupLag g = cluster.groups().get(i);
            JsonNode n = latest.get("groups").get(i);
            assertThat(n.get("group").asText()).isEqualTo(g.group());
            assertThat(n.get("group_state").asText()).isEqualTo(g.state().displayName());
            assertThat(n.get("max_lag").asLong()).isEqualTo(g.maxLag());
            assertThat(n.get("max_lag_seconds").asDouble()).isEqualTo(g.maxLagSeconds());
        }
        assertThat(latest.get("groups").findValuesAsText("group")).containsExactly("audit", "billing", "live");
        assertThat(latest.get("groups").findValues("max_lag")).extracting(JsonNode::asLong).containsExactly(4L, 6L, 2L);
    }

    @Test
    void neverOverwritesAHistoryObjectAndLeavesNothingBehind() throws Exception {
        ClusterSnapshot cluster = snapshot.clusters().get(0);
        String key = HistoryLayout.historyKey("", CLUSTER, cluster.time(), RUN_ID);
        Files.createDirectories(dir.resolve(key).getParent());
        Files.writeString(dir.resolve(key), "written before");

        Delivery delivery = deliver(sink(dir.toUri() + "", true), snapshot);

        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).isEqualTo("cluster " + CLUSTER + " FAILED: directory \"" + dir + "\", key \""
                + key + "\": already exists; history objects are never overwritten");
        assertThat(Files.readString(dir.resolve(key))).isEqualTo("written before");
        // no latest.json pointing at it, and no temporary file
        assertThat(files(dir)).containsExactly(key);
    }

    @Test
    void aMissingDirectoryFailsNamingItAndTheKeyAndIsNotCreated() throws Exception {
        Path missing = dir.resolve("missing");
        Delivery delivery = deliver(sink(missing.toUri() + "", false), snapshot);

        String key = HistoryLayout.historyKey("", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).isEqualTo("cluster " + CLUSTER + " FAILED: directory \"" + missing + "\", key \""
                + key + "\": the directory does not exist");
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void nothingIsWrittenOnceTheDeadlineHasPassed() throws Exception {
        Delivery delivery = sink(dir.toUri() + "", true).deliver(snapshot, Deadline.after(Duration.ZERO));

        String key = HistoryLayout.historyKey("", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).isEqualTo("cluster " + CLUSTER + " FAILED: the run deadline passed before writing "
                + "file://" + dir.toAbsolutePath().resolve(key));
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void aDownClusterGetsNoObject() throws Exception {
        ClusterSnapshot down = ClusterSnapshot.builder("gone").granularity(snapshot.clusters().get(0).granularity())
                .time(snapshot.startedAt()).up(false).error("no brokers").build();
        Snapshot withDown = new Snapshot(RUN_ID, snapshot.startedAt(), Shard.ALL,
                List.of(snapshot.clusters().get(0), down));

        Delivery delivery = deliver(sink(dir.toUri() + "", false), withDown);

        assertThat(delivery.delivered()).isTrue();
        assertThat(delivery.detail()).endsWith("; skipped down cluster(s) gone");
        assertThat(files(dir)).containsExactly(
                HistoryLayout.historyKey("", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID),
                HistoryLayout.rollupKey("", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID));
    }

    @Test
    void theStatusPageOfEachClusterIsWrittenAfterItsHistoryAndReplacedByTheNextRun(@TempDir Path other)
            throws Exception {
        ClusterSnapshot cluster = snapshot.clusters().get(0);
        String key = HistoryLayout.historyKey("", CLUSTER, cluster.time(), RUN_ID);
        String page = "cluster=prod%20eu%2F1/index.html";
        String rollupKey = HistoryLayout.rollupKey("", CLUSTER, cluster.time(), RUN_ID);

        Delivery delivery = deliver(sink(dir.toUri() + "", "html = true"), snapshot);

        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(delivery.detail()).isEqualTo("wrote 5 rows (" + Files.size(dir.resolve(key)) + " bytes) to "
                + "file://" + dir.toAbsolutePath().resolve(key) + " and its group rollup and index.html");
        assertThat(files(dir)).containsExactlyInAnyOrder(key, rollupKey, page);
        assertThat(Files.readAllBytes(dir.resolve(page))).isEqualTo(page(cluster));
        assertThat(Files.readString(dir.resolve(page))).contains("<title>Consumer lag: prod eu/1</title>",
                "<span class=\"name\">billing</span>", "<span class=\"name\">audit</span>",
                "<meta http-equiv=\"refresh\" content=\"60\">");

        // refresh_seconds sets the reload to the schedule's interval (another store: history is never overwritten)
        Delivery every5 = deliver(sink(other.toUri() + "", "html = true\nrefresh_seconds = 300"), snapshot);
        assertThat(every5.delivered()).as(every5.detail()).isTrue();
        assertThat(Files.readString(other.resolve(page))).contains("<meta http-equiv=\"refresh\" content=\"300\">");

        // the next run finds the cluster down: no history object, and the page says so instead of the old lag
        ClusterSnapshot down = ClusterSnapshot.builder(CLUSTER).granularity(cluster.granularity())
                .time(cluster.time().plusSeconds(60)).up(false).error("no brokers").build();
        Delivery next = deliver(sink(dir.toUri() + "", "html = true"),
                new Snapshot("fedcba987654", snapshot.startedAt(), Shard.ALL, List.of(down)));

        assertThat(next.delivered()).as(next.detail()).isTrue();
        assertThat(next.detail()).isEqualTo("wrote the status page of down cluster " + CLUSTER + " to "
                + "file://" + dir.toAbsolutePath().resolve(page) + "; skipped down cluster(s) " + CLUSTER);
        assertThat(files(dir)).containsExactlyInAnyOrder(key, rollupKey, page);
        assertThat(Files.readAllBytes(dir.resolve(page))).isEqualTo(page(down));
        assertThat(Files.readString(dir.resolve(page))).contains("Not collected: no brokers")
                .doesNotContain("billing");
    }

    /**
     * The status page core renders for one cluster, reloading at the default 60 s: what the sink must have stored,
     * byte for byte.
     */
    static byte[] page(ClusterSnapshot cluster) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HtmlPage.write(cluster, 60, out);
        return out.toByteArray();
    }

    @Test
    void aRunWritesTheSameRowsAsTheFileSinkOfThatRun() throws Exception {
        Path store = Files.createDirectory(dir.resolve("store"));
        Path file = dir.resolve("rows.ndjson");
        LagsnapConfig config = LagScenario.config(KAFKA.broker(), "local", """
                [[sinks]]
                type = "object_store"
                url = "%s"

                [[sinks]]
                type = "file"
                path = "%s"
                """.formatted(store.toUri(), file));

        RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(60)), Shard.ALL);

        assertThat(report.exitCode()).as(report.toJson()).isEqualTo(RunReport.EXIT_OK);
        // with [run] state unset, the trend state sits beside the history (FileStateStore and its lock file)
        assertThat(files(store)).contains("cluster=local/trend.json.gz", "cluster=local/.trend.json.gz.lock")
                .hasSize(4);
        List<String> objects = files(store).stream().filter(f -> f.endsWith(".ndjson.gz")).toList();
        assertThat(objects).singleElement().asString().startsWith("cluster=local/dt=")
                .endsWith("-" + report.runId() + ".ndjson.gz");
        List<String> rollups = files(store).stream().filter(f -> f.startsWith("cluster=local/rollup/")).toList();
        assertThat(rollups).singleElement().asString().startsWith("cluster=local/rollup/dt=")
                .endsWith("-" + report.runId() + ".json.gz");
        List<JsonNode> fromFileSink = Files.readAllLines(file).stream().map(Rows::parse).toList();
        assertThat(fromFileSink).hasSize(5);
        assertThat(Rows.gunzip(Files.readAllBytes(store.resolve(objects.get(0))))).isEqualTo(fromFileSink);
    }

    private static Sink sink(String url, boolean latest) {
        return sink(url, "latest = " + latest);
    }

    private static Sink sink(String url, String options) {
        LagsnapConfig config = LagScenario.config(KAFKA.broker(), CLUSTER, """
                [[sinks]]
                type = "object_store"
                url = "%s"
                %s
                """.formatted(url, options));
        return SinkRegistry.load().create(config.sinks(), c -> new SinkContext(config.clusters().stream().map(ClusterConfig::kafkaCluster).toList(), n -> null, Shard.ALL))
                .get(0).sink();
    }

    private static Delivery deliver(Sink sink, Snapshot snapshot) throws Exception {
        try (sink) {
            return sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(30)));
        }
    }

    /** Every file under the directory, hidden ones included, as slash-separated relative paths. */
    static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
