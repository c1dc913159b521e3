package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.state.StateStores;
import io.lagsnap.core.trends.SeriesKey;
import io.lagsnap.core.trends.TrendBounds;
import io.lagsnap.core.trends.TrendCodec;
import io.lagsnap.core.trends.TrendKeeper;
import io.lagsnap.core.trends.TrendPoint;
import io.lagsnap.core.trends.TrendState;
import io.lagsnap.core.trends.Trends;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Trend state in a bucket, next to the object_store sink's {@code latest.json}, on s3proxy (a real S3 API server).
 * s3proxy 4.1.0 honours {@code If-Match} on PutObject: a stale ETag is refused with 412 (the first test shows it).
 */
class S3TrendStateTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final String CLUSTER = "prod";
    private static final String TREND_KEY = "lagsnap/cluster=prod/trend.json.gz";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3ProxyServer proxy;
    private static S3Client admin;
    private String bucket;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        proxy = S3ProxyServer.start();
        admin = proxy.client();
        LagScenario.create(KAFKA.broker());
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
    void freshBucketAndCredentials() {
        bucket = "lagsnap-state-" + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(bucket));
        // the SDK's default chain, as in production: its first source is these system properties
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    }

    @AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private String objectStoreSink() {
        return """
                [[sinks]]
                type = "object_store"
                url = "s3://%s/lagsnap"
                latest = true
                region = "us-east-1"
                endpoint = "%s"
                path_style = true
                """.formatted(bucket, proxy.endpoint());
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(30));
    }

    @Test
    void s3proxyRefusesAPutWhoseIfMatchNamesAStaleEtag() throws Exception {
        try (S3Store store = S3Store.open(bucket, new S3Settings("us-east-1", proxy.endpoint(), true), deadline())) {
            assertThat(store.read("k")).isEmpty();
            assertThat(store.replaceIf(object("one"), null)).isTrue();
            StateStore.Stored first = store.read("k").orElseThrow();
            assertThat(first.version()).isEqualTo(admin.headObject(b -> b.bucket(bucket).key("k")).eTag());

            assertThat(store.replaceIf(object("two"), null)).as("If-None-Match: * on an existing key").isFalse();
            assertThat(store.replaceIf(object("two"), first.version())).isTrue();
            assertThat(store.replaceIf(object("three"), first.version())).as("a stale ETag").isFalse();
            // what an SDK retry of a completed put meets: refused (412), and the key holds its very bytes
            assertThat(store.replaceIf(object("two"), first.version())).as("a stale ETag, its own bytes").isTrue();
            assertThat(text(admin.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray())).isEqualTo("two");
        }
        // the server's own answer to the stale ETag, without the store in between
        String stale = "\"" + "0".repeat(32) + "\"";
        assertThatThrownBy(() -> admin.putObject(b -> b.bucket(bucket).key("k").ifMatch(stale),
                RequestBody.fromString("four"))).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.statusCode()).isEqualTo(412));
    }

    @Test
    void aRunWithAnObjectStoreAndNoStateKeepsTheTrendObjectNextToLatestJson() throws Exception {
        RunReport report = run(objectStoreSink());

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        List<String> keys = admin.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .toList();
        assertThat(keys).contains("lagsnap/cluster=prod/latest.json", TREND_KEY);
        assertThat(admin.headObject(b -> b.bucket(bucket).key(TREND_KEY)).contentType())
                .isEqualTo("application/gzip");
        TrendState state = stored();
        assertThat(state.cluster()).isEqualTo(CLUSTER);
        assertThat(state.series()).containsKeys(SeriesKey.ofGroup("billing"), SeriesKey.ofGroup("audit"),
                SeriesKey.ofGroup("live"));
        assertThat(Files.readString(dir.resolve("lag.prom")))
                .contains("kafka_consumergroup_group_status{cluster_name=\"prod\",group=\"billing\"");
    }

    /**
     * Two writers fold different snapshots into one state through real conditional puts. The interleaving is forced
     * (A reads, B reads, writes and finishes, then A writes) rather than left to chance, so the lost race happens
     * every time: A's create-only put is refused, A reads B's state and folds its snapshot into it.
     */
    @Test
    void twoWritersRacingThroughConditionalPutsLoseNoUpdate() throws Exception {
        ClusterSnapshot earlier = LagScenario.snapshot(KAFKA.broker(), CLUSTER, "aaaaaaaaaaaa").clusters().get(0);
        Thread.sleep(5);
        ClusterSnapshot later = LagScenario.snapshot(KAFKA.broker(), CLUSTER, "bbbbbbbbbbbb").clusters().get(0);
        assertThat(later.time()).isAfter(earlier.time());
        LagsnapConfig config = LagScenario.config(KAFKA.broker(), CLUSTER, objectStoreSink());
        StateLocation location = new StateLocation(URI.create("s3://" + bucket + "/lagsnap"), "trend.json.gz",
                config.sinks().get(0), "test");
        StateStores stores = StateStores.load();
        Trends trends = new Trends(TrendBounds.DEFAULT);

        CountDownLatch aRead = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        try (StateStore a = stores.open(location, deadline()); StateStore b = stores.open(location, deadline())) {
            Paused paused = new Paused(a, aRead, bDone);
            CompletableFuture<TrendKeeper.Kept> writerA = CompletableFuture.supplyAsync(() -> {
                try {
                    return new TrendKeeper(paused, trends).update(later, Instant.now());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(aRead.await(30, TimeUnit.SECONDS)).isTrue();
            TrendKeeper.Kept keptB = new TrendKeeper(b, trends).update(earlier, Instant.now());
            bDone.countDown();
            TrendKeeper.Kept keptA = writerA.get(30, TimeUnit.SECONDS);

            assertThat(keptB.saved()).isTrue();
            assertThat(keptA.saved()).isTrue();
            assertThat(paused.refused.get()).as("A's first put lost the race").isEqualTo(1);
        }
        assertThat(stored().series().get(SeriesKey.ofGroup("billing")).points()).extracting(TrendPoint::time)
                // the state keeps epoch milliseconds
                .containsExactly(earlier.time().truncatedTo(ChronoUnit.MILLIS), later.time().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void aCorruptTrendObjectYieldsACleanNewStateAWarningAndExitZero() throws Exception {
        admin.putObject(b -> b.bucket(bucket).key(TREND_KEY), RequestBody.fromString("not gzip at all"));
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        RunReport report;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            report = run(objectStoreSink());
        } finally {
            System.setErr(stderr);
        }

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("cluster prod: trend state unusable (corrupt: ");
        assertThat(Files.readAllLines(dir.resolve("lag.prom")))
                .contains("lagsnap_trend_state_resets_total{cluster_name=\"prod\",reason=\"corrupt\"} 1.0");
        assertThat(stored().series()).containsKey(SeriesKey.ofGroup("billing"));
    }

    private RunReport run(String sinks) {
        LagsnapConfig config = LagScenario.config(KAFKA.broker(), CLUSTER, sinks + """
                [[sinks]]
                type = "file"
                format = "prometheus"
                path = "%s"
                """.formatted(dir.resolve("lag.prom")));
        return Runner.standard().run(config, deadline(), Shard.ALL);
    }

    private TrendState stored() {
        byte[] bytes = admin.getObjectAsBytes(b -> b.bucket(bucket).key(TREND_KEY)).asByteArray();
        return ((TrendCodec.Loaded) TrendCodec.decode(bytes, CLUSTER)).state();
    }

    private static StoredObject object(String text) {
        return new StoredObject("k", text.getBytes(StandardCharsets.UTF_8), "text/plain", null);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The real store, with writer A held after its first read until writer B is done, and A's refused replaces
     * counted: it only orders the two writers, every read and write goes to s3proxy.
     */
    private static final class Paused implements StateStore {
        private final StateStore store;
        private final CountDownLatch read;
        private final CountDownLatch resume;
        final AtomicInteger refused = new AtomicInteger();

        Paused(StateStore store, CountDownLatch read, CountDownLatch resume) {
            this.store = store;
            this.read = read;
            this.resume = resume;
        }

        @Override
        public Optional<Stored> read(String cluster) throws IOException {
            Optional<Stored> stored = store.read(cluster);
            if (read.getCount() > 0) {
                read.countDown();
                try {
                    assertThat(resume.await(30, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            return stored;
        }

        @Override
        public boolean replace(String cluster, byte[] bytes, String expectedVersion) throws IOException {
            boolean replaced = store.replace(cluster, bytes, expectedVersion);
            if (!replaced) {
                refused.incrementAndGet();
            }
            return replaced;
        }
    }
}
