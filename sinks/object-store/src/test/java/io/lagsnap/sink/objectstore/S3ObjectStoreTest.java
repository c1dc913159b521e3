package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.S3ProxyServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The object_store sink against a real S3 API server (s3proxy, a subprocess) with snapshots of a real broker. The
 * sink gets its credentials from the AWS SDK's default chain, whose first source is the aws.accessKeyId and
 * aws.secretAccessKey system properties: the tests set those, right or wrong.
 */
class S3ObjectStoreTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final String CLUSTER = "prod";
    private static final String RUN_ID = "abcdef012345";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3ProxyServer proxy;
    private static S3Client admin;
    private static Snapshot snapshot;
    private String bucket;

    @BeforeAll
    static void start() throws Exception {
        proxy = S3ProxyServer.start();
        admin = proxy.client(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
        LagScenario.create(KAFKA.broker());
        snapshot = LagScenario.snapshot(KAFKA.broker(), CLUSTER, RUN_ID);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @BeforeEach
    void freshBucketAndRightCredentials() {
        bucket = "lagsnap-history-" + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(bucket));
        credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
    }

    @AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void writesTheRowsAsOneGzipNdjsonObjectWithItsContentHeadersAndTheLatestSummary() throws Exception {
        Delivery delivery = deliver(sink("s3://" + bucket + "/lagsnap/", true), snapshot);

        ClusterSnapshot cluster = snapshot.clusters().get(0);
        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, cluster.time(), RUN_ID);
        String rollupKey = HistoryLayout.rollupKey("lagsnap", CLUSTER, cluster.time(), RUN_ID);
        assertThat(keys(bucket)).containsExactlyInAnyOrder(key, rollupKey, "lagsnap/cluster=prod/latest.json");
        byte[] object = admin.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(delivery.detail()).isEqualTo("wrote 5 rows (" + object.length + " bytes) to s3://" + bucket + "/"
                + key + " and its group rollup and latest.json");
        Rows.assertMatch(object, cluster);
        Rows.assertScenarioRollup(admin.getObjectAsBytes(b -> b.bucket(bucket).key(rollupKey)).asByteArray(), cluster);

        HeadObjectResponse head = admin.headObject(b -> b.bucket(bucket).key(key));
        assertThat(head.contentType()).isEqualTo("application/x-ndjson");
        assertThat(head.contentEncoding()).isEqualTo("gzip");
        assertThat(head.contentLength()).isEqualTo(object.length);

        String latestKey = "lagsnap/cluster=prod/latest.json";
        HeadObjectResponse latestHead = admin.headObject(b -> b.bucket(bucket).key(latestKey));
        assertThat(latestHead.contentType()).isEqualTo("application/json");
        assertThat(latestHead.contentEncoding()).isNull();
        JsonNode latest = Rows.JSON.readTree(admin.getObjectAsBytes(b -> b.bucket(bucket).key(latestKey)).asByteArray());
        assertThat(latest.get("history_key").asText()).isEqualTo(key);
        assertThat(latest.get("groups").findValues("max_lag")).extracting(JsonNode::asLong).containsExactly(4L, 6L, 2L);
    }

    @Test
    void writesTheStatusPageAsHtmlAfterTheHistoryAndTheLatestSummary() throws Exception {
        Delivery delivery = deliver(sink("s3://" + bucket + "/lagsnap", true, proxy.endpoint().toString(),
                "html = true"), snapshot);

        ClusterSnapshot cluster = snapshot.clusters().get(0);
        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, cluster.time(), RUN_ID);
        String page = "lagsnap/cluster=prod/index.html";
        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(delivery.detail()).endsWith(" to s3://" + bucket + "/" + key
                + " and its group rollup and latest.json and index.html");
        assertThat(keys(bucket)).containsExactlyInAnyOrder(key,
                HistoryLayout.rollupKey("lagsnap", CLUSTER, cluster.time(), RUN_ID), "lagsnap/cluster=prod/latest.json",
                page);
        HeadObjectResponse head = admin.headObject(b -> b.bucket(bucket).key(page));
        // s3proxy (jclouds) stores the media type without the optional space before the parameter
        assertThat(head.contentType()).isEqualToIgnoringWhitespace(ObjectStoreSink.HTML);
        assertThat(head.contentEncoding()).isNull();
        byte[] stored = admin.getObjectAsBytes(b -> b.bucket(bucket).key(page)).asByteArray();
        assertThat(stored).isEqualTo(FileObjectStoreTest.page(cluster));
        assertThat(new String(stored, java.nio.charset.StandardCharsets.UTF_8))
                .contains("<title>Consumer lag: prod</title>", "<span class=\"name\">live</span>");
    }

    @Test
    void refusesToOverwriteAHistoryObjectWithIfNoneMatch() throws Exception {
        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID);
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("written before"));

        Delivery delivery = deliver(sink("s3://" + bucket + "/lagsnap", true), snapshot);

        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).isEqualTo("cluster prod FAILED: bucket \"" + bucket + "\", key \"" + key
                + "\": already exists; history objects are never overwritten");
        assertThat(admin.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String()).isEqualTo("written before");
        assertThat(keys(bucket)).containsExactly(key);
    }

    /**
     * An SDK retry of a PutObject the server had completed meets its own object: If-None-Match refuses it (412),
     * and the store finds its exact bytes there. Here the completed first attempt is the same object written
     * beforehand, byte for byte, from a delivery into another bucket.
     */
    @Test
    void aCreateRefusedBecauseTheKeyAlreadyHoldsItsOwnBytesIsDelivered() throws Exception {
        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID);
        String first = bucket + "-first";
        admin.createBucket(b -> b.bucket(first));
        assertThat(deliver(sink("s3://" + first + "/lagsnap", false), snapshot).delivered()).isTrue();
        byte[] written = admin.getObjectAsBytes(b -> b.bucket(first).key(key)).asByteArray();
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(written));

        Delivery delivery = deliver(sink("s3://" + bucket + "/lagsnap", false), snapshot);

        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(admin.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).isEqualTo(written);
    }

    @Test
    void aMissingBucketFailsNamingTheBucketAndTheKeyAndCreatesNothing() throws Exception {
        Delivery delivery = deliver(sink("s3://no-such-bucket/lagsnap", true), snapshot);

        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).startsWith("cluster prod FAILED: bucket \"no-such-bucket\", key \"" + key
                + "\": NoSuchBucket (HTTP 404): ");
        assertThat(admin.listBuckets().buckets()).extracting(Bucket::name).doesNotContain("no-such-bucket");
        assertThat(keys(bucket)).isEmpty();
    }

    @Test
    void wrongCredentialsFailNamingTheBucketAndTheKeyAndLeaveNoObject() throws Exception {
        credentials(S3ProxyServer.ACCESS_KEY, "not-the-secret");

        Delivery delivery = deliver(sink("s3://" + bucket + "/lagsnap", true), snapshot);

        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID);
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).startsWith("cluster prod FAILED: bucket \"" + bucket + "\", key \"" + key
                + "\": SignatureDoesNotMatch (HTTP 403): ");
        assertThat(delivery.detail()).doesNotContain("not-the-secret");
        assertThat(keys(bucket)).isEmpty();
    }

    @Test
    @Timeout(60)
    void aServerThatNeverAnswersFailsWithinTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Sink sink = sink("s3://" + bucket + "/lagsnap", false, "http://127.0.0.1:" + silent.getLocalPort());
            Delivery delivery;
            try (sink) {
                delivery = sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(2)));
            }
            assertThat(delivery.delivered()).isFalse();
            assertThat(delivery.detail()).startsWith("cluster prod FAILED: bucket \"" + bucket + "\", key \"lagsnap/");
            assertThat(delivery.detail()).containsIgnoringCase("timeout");
        }
    }

    /** A hung endpoint in a whole run: the sink's own timeout fires first, naming bucket and key. */
    @Test
    @Timeout(60)
    void aHungEndpointsDeadlineMessageNamesTheBucketAndKey(@TempDir Path dir) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LagsnapConfig config = new ConfigLoader(k -> null).parse("""
                    [exporter.performance]
                    kafka_timeout = "500ms"
                    [[clusters]]
                    name = "prod"
                    bootstrap_servers = "127.0.0.1:1"
                    [[sinks]]
                    type = "object_store"
                    url = "s3://%s/lagsnap"
                    endpoint = "http://127.0.0.1:%d"
                    region = "us-east-1"
                    path_style = true
                    html = true
                    """.formatted(bucket, silent.getLocalPort()), "hung.toml");
            RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(8)), Shard.ALL);
            SinkOutcome sink = report.sinks().get(0);
            assertThat(sink.delivered()).isFalse();
            assertThat(sink.detail()).as(sink.detail()).startsWith("cluster prod FAILED: bucket \"" + bucket
                    + "\", key \"lagsnap/");
        }
    }

    @Test
    void aFailingObjectStoreFailsTheRunWhileTheFileSinkStillDelivers(@TempDir Path dir) {
        Path file = dir.resolve("rows.ndjson");
        LagsnapConfig config = LagScenario.config(KAFKA.broker(), CLUSTER, """
                [[sinks]]
                type = "object_store"
                url = "s3://no-such-bucket/lagsnap"
                region = "us-east-1"
                endpoint = "%s"
                path_style = true

                [[sinks]]
                type = "file"
                path = "%s"
                """.formatted(proxy.endpoint(), file));

        RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(60)), Shard.ALL);

        assertThat(report.exitCode()).as(report.toJson()).isEqualTo(RunReport.EXIT_PARTIAL);
        SinkOutcome objectStore = report.sinks().get(0);
        assertThat(objectStore.delivered()).isFalse();
        assertThat(objectStore.detail()).startsWith("cluster prod FAILED: bucket \"no-such-bucket\", key \"lagsnap/cluster=prod/dt=")
                .contains("-" + report.runId() + ".ndjson.gz\": NoSuchBucket (HTTP 404)");
        assertThat(report.sinks().get(1).delivered()).isTrue();
        assertThat(file).exists();
        assertThat(Files.exists(file) ? lines(file) : List.of()).hasSize(5);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Sink sink(String url, boolean latest) {
        return sink(url, latest, proxy.endpoint().toString());
    }

    private static Sink sink(String url, boolean latest, String endpoint) {
        return sink(url, latest, endpoint, "");
    }

    private static Sink sink(String url, boolean latest, String endpoint, String options) {
        LagsnapConfig config = LagScenario.config(KAFKA.broker(), CLUSTER, """
                [[sinks]]
                type = "object_store"
                url = "%s"
                latest = %s
                region = "us-east-1"
                endpoint = "%s"
                path_style = true
                %s
                """.formatted(url, latest, endpoint, options));
        return SinkRegistry.load().create(config.sinks(), c -> new SinkContext(config.clusters().stream().map(ClusterConfig::kafkaCluster).toList(), n -> null, Shard.ALL))
                .get(0).sink();
    }

    private static Delivery deliver(Sink sink, Snapshot snapshot) throws Exception {
        try (sink) {
            return sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(30)));
        }
    }

    private static List<String> keys(String bucket) {
        return admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    private static void credentials(String accessKey, String secretKey) {
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", secretKey);
    }
}
