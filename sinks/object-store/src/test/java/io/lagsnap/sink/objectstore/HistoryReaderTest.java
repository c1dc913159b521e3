package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.sink.api.model.Watermarks;
import io.lagsnap.testkit.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * HistoryReader over history the real sink wrote, on each store: a directory, s3proxy (a real S3 API server) and,
 * for gs://, google-cloud-nio's LocalStorageHelper (a FAKE in-memory StorageRpc behind the real Storage client: no
 * GCS server runs here). Four runs: 26 h before "now" (outside 24 h), 3 h before with rows only (written before
 * rollups existed), 61 min and 1 min before with rows and rollups.
 */
class HistoryReaderTest {
    /** A plain name: LocalStorageHelper's upload sessions lose keys with %XX escapes (404). */
    private static final String CLUSTER = "prod";
    private static final Instant NOW = Instant.parse("2026-11-17T22:30:00Z");
    private static final List<Instant> RUNS = List.of(NOW.minus(Duration.ofHours(26)), NOW.minus(Duration.ofHours(3)),
            NOW.minus(Duration.ofMinutes(61)), NOW.minus(Duration.ofMinutes(1)));
    private static final Instant ROWS_ONLY = RUNS.get(1);

    private static S3ProxyServer proxy;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        proxy = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** The AWS SDK's default chain reads these first; the GCS and file tests ignore them. */
    @BeforeEach
    void s3Credentials() {
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    }

    @AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private static String runId(Instant time) {
        return String.format("run%09d", time.getEpochSecond() % 1_000_000_000L);
    }

    private static ClusterSnapshot cluster(Instant time) {
        long lag = time.getEpochSecond() % 97;
        List<PartitionLag> rows = List.of(
                PartitionLag.builder("billing", "orders", 0).groupState(GroupState.STABLE).committedOffset(100L)
                        .watermarks(new Watermarks(0, 100 + lag, 100 + lag)).lag(lag).lagSeconds(1.5).build(),
                PartitionLag.builder("audit", "orders", 0).groupState(GroupState.EMPTY).committedOffset(7L)
                        .watermarks(new Watermarks(0, 9, 9)).lag(2L).build());
        return ClusterSnapshot.builder(CLUSTER).granularity(Granularity.PARTITION).time(time).rows(rows).build();
    }

    /** The sink writes every run, except that the rows-only run's object is put as the sink did before rollups. */
    private static void writeHistory(StoreUrl url, ObjectStoreSink.StoreOpener opener) throws Exception {
        for (Instant time : RUNS) {
            if (time.equals(ROWS_ONLY)) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
                    io.lagsnap.sink.api.format.RowJson.write(cluster(time), gzip);
                }
                try (ObjectStore store = opener.open(Deadline.after(Duration.ofSeconds(30)))) {
                    store.create(new StoredObject(HistoryLayout.historyKey(url.prefix(), CLUSTER, time, runId(time)),
                            bytes.toByteArray(), ObjectStoreSink.NDJSON, "gzip"));
                }
                continue;
            }
            try (ObjectStoreSink sink = new ObjectStoreSink(url, false, ObjectStoreSink.NO_PAGE, opener)) {
                Delivery d = sink.deliver(new Snapshot(runId(time), time, Shard.ALL, List.of(cluster(time))),
                        Deadline.after(Duration.ofSeconds(30)));
                assertThat(d.delivered()).as(d.detail()).isTrue();
            }
        }
    }

    private static HistoryReader.Selection expected(String prefix) {
        return new HistoryReader.Selection(
                RUNS.subList(2, 4).stream().map(t -> HistoryLayout.rollupKey(prefix, CLUSTER, t, runId(t))).toList(),
                List.of(HistoryLayout.historyKey(prefix, CLUSTER, ROWS_ONLY, runId(ROWS_ONLY))));
    }

    /** Selects the last 24 h, copies (or locates) them, and checks every file holds the stored object's bytes. */
    private void assertReads(HistoryReader reader, String prefix, StoredBytes stored) throws Exception {
        HistoryReader.Selection selection = reader.select(CLUSTER, NOW.minus(Duration.ofHours(24)), NOW);
        assertThat(selection).isEqualTo(expected(prefix));
        List<String> keys = new ArrayList<>(selection.rollups());
        keys.addAll(selection.rows());
        Path copies = dir.resolve("copies");
        List<Path> files = reader.local(keys, copies);
        assertThat(files).hasSize(3);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(Files.readAllBytes(files.get(i))).as(keys.get(i)).isEqualTo(stored.get(keys.get(i)));
        }
        // an hour range: only the runs of 22:xx
        assertThat(reader.select(CLUSTER, NOW.minus(Duration.ofMinutes(20)), NOW))
                .isEqualTo(new HistoryReader.Selection(List.of(HistoryLayout.rollupKey(prefix, CLUSTER, RUNS.get(3),
                        runId(RUNS.get(3)))), List.of()));
    }

    @FunctionalInterface
    private interface StoredBytes {
        byte[] get(String key) throws Exception;
    }

    @Test
    void readsAFileStoreInPlace() throws Exception {
        Path root = Files.createDirectory(dir.resolve("store"));
        writeHistory(StoreUrl.parse(root.toUri().toString(), "test"), d -> new LocalStore(root));
        try (HistoryReader reader = HistoryReader.open(root.toUri().toString(), Map.of(), key -> key,
                Duration.ofSeconds(30))) {
            assertThat(reader.isLocal()).isTrue();
            assertReads(reader, "", key -> Files.readAllBytes(root.resolve(key)));
            assertThat(reader.local(List.of("cluster=x/k"), dir)).containsExactly(root.resolve("cluster=x/k"));
        }
        assertThat(Files.exists(dir.resolve("copies"))).isFalse();
    }

    @Test
    void readsAnS3BucketThroughTheSdkIntoCopies() throws Exception {
        try (S3Client admin = proxy.client(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)) {
            admin.createBucket(b -> b.bucket("lagsnap-read"));
            S3Settings settings = new S3Settings("us-east-1", proxy.endpoint(), true);
            writeHistory(StoreUrl.parse("s3://lagsnap-read/lagsnap", "test"),
                    d -> S3Store.open("lagsnap-read", settings, d));
            try (HistoryReader reader = HistoryReader.open("s3://lagsnap-read/lagsnap/", Map.of("region", "us-east-1",
                    "endpoint", proxy.endpoint().toString(), "path_style", true), key -> key, Duration.ofSeconds(30))) {
                assertThat(reader.isLocal()).isFalse();
                assertReads(reader, "lagsnap", key -> admin.getObjectAsBytes(b -> b.bucket("lagsnap-read").key(key))
                        .asByteArray());
            }
        }
    }

    @Test
    void readsAGcsBucketThroughTheSdkIntoCopies() throws Exception {
        Storage fake = LocalStorageHelper.getOptions().getService();
        writeHistory(StoreUrl.parse("gs://lagsnap-read/lagsnap", "test"), d -> new GcsStore(fake, "lagsnap-read"));
        try (HistoryReader reader = new HistoryReader(StoreUrl.parse("gs://lagsnap-read/lagsnap", "test"),
                new GcsStore(fake, "lagsnap-read"))) {
            assertReads(reader, "lagsnap", key -> fake.readAllBytes(BlobId.of("lagsnap-read", key)));
        }
    }

    /**
     * A key with ".." segments in the listing, put there by another writer (the sink writes none), in an hour in
     * range: copied as it is named it would land outside the copies' directory, so reading fails naming it. S3 and
     * GCS take such keys, but s3proxy answers 400 to them and a directory cannot hold one, so the bucket is the
     * LocalStorageHelper fake.
     */
    @Test
    void aListedKeyWithDotDotSegmentsIsRefusedNamingItAndNothingIsCopied() throws Exception {
        String key = "lagsnap/cluster=prod/dt=2026-11-17/hour=22/../../../../../escaped.ndjson.gz";
        Storage fake = LocalStorageHelper.getOptions().getService();
        fake.create(com.google.cloud.storage.BlobInfo.newBuilder("lagsnap-read", key).build(), new byte[] {1});
        try (HistoryReader reader = new HistoryReader(StoreUrl.parse("gs://lagsnap-read/lagsnap", "test"),
                new GcsStore(fake, "lagsnap-read"))) {
            HistoryReader.Selection selection = reader.select(CLUSTER, NOW.minus(Duration.ofHours(24)), NOW);
            assertThat(selection).isEqualTo(new HistoryReader.Selection(List.of(), List.of(key)));
            Path copies = dir.resolve("copies");
            // as the copy of another run in that hour leaves it: the ".." segments then resolve from there
            Files.createDirectories(copies.resolve("lagsnap/cluster=prod/dt=2026-11-17/hour=22"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.local(selection.rows(), copies))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessage("bucket \"lagsnap-read\", key \"" + key + "\": not read: the sink writes no key with "
                            + "\".\" or \"..\" segments, and its copy could land outside " + copies);
        }
        assertThat(dir.resolve("escaped.ndjson.gz")).doesNotExist();
    }

    @Test
    void aMissingS3BucketFailsNamingIt() throws Exception {
        try (HistoryReader reader = HistoryReader.open("s3://no-such-bucket/lagsnap", Map.of("region", "us-east-1",
                "endpoint", proxy.endpoint().toString(), "path_style", true), key -> key, Duration.ofSeconds(30))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.select(CLUSTER, NOW.minusSeconds(60), NOW))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageStartingWith("bucket \"no-such-bucket\", key \"lagsnap/cluster=prod/rollup/dt=")
                    .hasMessageContaining("NoSuchBucket (HTTP 404)");
        }
    }
}
