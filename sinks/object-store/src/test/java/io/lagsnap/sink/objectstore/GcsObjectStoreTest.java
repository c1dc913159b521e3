package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The object_store sink's GCS store with snapshots of a real broker. No real GCS server can run here, so the Storage
 * is a FAKE: google-cloud-nio's LocalStorageHelper, an in-memory StorageRpc behind the real Storage client. It keeps
 * objects and their metadata and checks the ifGenerationMatch=0 precondition of resumable uploads (the store uses
 * those for history objects), but has no buckets, credentials or HTTP, so a missing bucket and denied access are
 * tested against s3proxy only (S3ObjectStoreTest).
 */
class GcsObjectStoreTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final String BUCKET = "lagsnap-history";
    private static final String CLUSTER = "prod";
    private static final String RUN_ID = "fedcba987654";
    private static Snapshot snapshot;
    private Storage fake;

    @BeforeAll
    static void scenario() {
        LagScenario.create(KAFKA.broker());
        snapshot = LagScenario.snapshot(KAFKA.broker(), CLUSTER, RUN_ID);
    }

    @BeforeEach
    void emptyFakeStorage() {
        fake = LocalStorageHelper.getOptions().getService();
    }

    @Test
    void writesTheRowsAsOneGzipNdjsonObjectWithItsMetadataAndTheLatestSummary() throws Exception {
        Delivery delivery = deliver(true);

        ClusterSnapshot cluster = snapshot.clusters().get(0);
        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, cluster.time(), RUN_ID);
        String rollupKey = HistoryLayout.rollupKey("lagsnap", CLUSTER, cluster.time(), RUN_ID);
        assertThat(names()).containsExactlyInAnyOrder(key, rollupKey, "lagsnap/cluster=prod/latest.json");
        byte[] object = fake.readAllBytes(BlobId.of(BUCKET, key));
        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(delivery.detail()).isEqualTo("wrote 5 rows (" + object.length + " bytes) to gs://" + BUCKET + "/"
                + key + " and its group rollup and latest.json");
        Rows.assertMatch(object, cluster);
        Rows.assertScenarioRollup(fake.readAllBytes(BlobId.of(BUCKET, rollupKey)), cluster);

        Blob blob = fake.get(BlobId.of(BUCKET, key));
        assertThat(blob.getContentType()).isEqualTo("application/x-ndjson");
        assertThat(blob.getContentEncoding()).isEqualTo("gzip");
        assertThat(blob.getCacheControl()).isEqualTo("no-transform");

        Blob latest = fake.get(BlobId.of(BUCKET, "lagsnap/cluster=prod/latest.json"));
        assertThat(latest.getContentType()).isEqualTo("application/json");
        assertThat(latest.getContentEncoding()).isNull();
        JsonNode summary = Rows.JSON.readTree(latest.getContent());
        assertThat(summary.get("history_key").asText()).isEqualTo(key);
        assertThat(summary.get("groups").findValues("max_lag")).extracting(JsonNode::asLong).containsExactly(4L, 6L, 2L);
    }

    @Test
    void refusesToOverwriteAHistoryObjectWithTheDoesNotExistPrecondition() throws Exception {
        String key = HistoryLayout.historyKey("lagsnap", CLUSTER, snapshot.clusters().get(0).time(), RUN_ID);
        fake.create(BlobInfo.newBuilder(BUCKET, key).build(), "written before".getBytes(StandardCharsets.UTF_8));

        Delivery delivery = deliver(true);

        assertThat(delivery.delivered()).isFalse();
        // GCS answers a failed ifGenerationMatch=0 with HTTP 412, which the store reports as "already exists"; the
        // fake instead throws a code-0 error caused by a FileAlreadyExistsException, so only the prefix is exact here
        assertThat(delivery.detail()).startsWith("cluster prod FAILED: bucket \"" + BUCKET + "\", key \"" + key + "\": ");
        assertThat(new String(fake.readAllBytes(BlobId.of(BUCKET, key)), StandardCharsets.UTF_8))
                .isEqualTo("written before");
        assertThat(names()).containsExactly(key);
    }

    private Delivery deliver(boolean latest) throws Exception {
        StoreUrl url = StoreUrl.parse("gs://" + BUCKET + "/lagsnap", "test.url");
        try (ObjectStoreSink sink = new ObjectStoreSink(url, latest, ObjectStoreSink.NO_PAGE,
                deadline -> new GcsStore(fake, BUCKET))) {
            return sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(30)));
        }
    }

    private List<String> names() {
        return StreamSupport.stream(fake.list(BUCKET).iterateAll().spliterator(), false).map(Blob::getName).toList();
    }
}
