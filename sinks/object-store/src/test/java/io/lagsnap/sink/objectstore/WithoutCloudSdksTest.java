package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.core.state.StateStores;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.Member;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import io.lagsnap.sink.api.model.Watermarks;
import io.lagsnap.sink.api.state.StateLocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an artifact that bundles this sink without a cloud SDK sees (the Lambda has no Google SDK, the Cloud Function
 * no AWS SDK). The build runs this class in its own surefire execution with every software.amazon.awssdk and
 * com.google.cloud artifact removed from the class path; the default execution skips it. The snapshot is built by
 * hand: this is about class loading, not about Kafka.
 */
class WithoutCloudSdksTest {
    @TempDir
    Path dir;

    @Test
    void theSdksAreReallyMissingHere() {
        assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.services.s3.S3Client"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("com.google.cloud.storage.Storage"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void theSinkLoadsAndWritesToFileUrls() throws Exception {
        Sink sink = create("url = \"" + dir.toUri() + "\"\nlatest = true");
        Snapshot snapshot = snapshot();

        Delivery delivery;
        try (sink) {
            delivery = sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(10)));
        }

        ClusterSnapshot cluster = snapshot.clusters().get(0);
        String key = HistoryLayout.historyKey("", "prod", cluster.time(), "a1b2c3d4e5f6");
        assertThat(delivery.delivered()).as(delivery.detail()).isTrue();
        assertThat(FileObjectStoreTest.files(dir)).containsExactlyInAnyOrder(key,
                HistoryLayout.rollupKey("", "prod", cluster.time(), "a1b2c3d4e5f6"), "cluster=prod/latest.json");
        Rows.assertMatch(Files.readAllBytes(dir.resolve(key)), cluster);
    }

    @Test
    void s3UrlsFailAtCreationNamingTheMissingSdk() {
        assertThatThrownBy(() -> create("url = \"s3://bucket/prefix\""))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.toml:7: sinks[0].url: s3:// needs the AWS SDK, which this artifact does not bundle "
                        + "(it needs software.amazon.awssdk:s3 and software.amazon.awssdk:url-connection-client on "
                        + "the class path)");
    }

    @Test
    void gsUrlsFailAtCreationNamingTheMissingSdk() {
        assertThatThrownBy(() -> create("url = \"gs://bucket/prefix\""))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.toml:7: sinks[0].url: gs:// needs the Google Cloud Storage SDK, which this artifact "
                        + "does not bundle (it needs com.google.cloud:google-cloud-storage on the class path)");
    }

    @Test
    void theStateStoresLoadAndBucketStateNamesTheMissingSdk() {
        StateStores stores = StateStores.load();
        for (String url : List.of("s3://bucket/prefix", "gs://bucket/prefix")) {
            StateLocation location = new StateLocation(URI.create(url), "trend.json.gz", null, "run.state");
            stores.check(location);
            assertThatThrownBy(() -> stores.open(location, Deadline.after(Duration.ofSeconds(10))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("run.state: " + url.substring(0, 5) + " needs the ");
        }
    }

    private static Sink create(String keys) {
        LagsnapConfig config = new ConfigLoader(name -> null).parse("""
                [[clusters]]
                name = "prod"
                bootstrap_servers = "127.0.0.1:9"

                [[sinks]]
                type = "object_store"
                %s
                """.formatted(keys), "test.toml");
        return SinkRegistry.load().create(config.sinks(), c -> new SinkContext(config.clusters().stream().map(ClusterConfig::kafkaCluster).toList(), n -> null, Shard.ALL))
                .get(0).sink();
    }

    private static Snapshot snapshot() {
        Instant time = Instant.parse("2026-11-22T02:45:00.250Z");
        PartitionLag row = PartitionLag.builder("billing", "orders", 0).groupState(GroupState.STABLE)
                .committedOffset(4L).watermarks(new Watermarks(0, 10, 10)).lag(6L).lagCommitted(6L)
                .lagSeconds(240.25).sampled(4L, Instant.parse("2026-11-22T02:41:00Z"))
                .member(new Member("/10.0.0.7", "consumer-1-abc", "consumer-1")).retentionMargin(4L)
                .lagRetentionRatio(60.0).build();
        ClusterSnapshot cluster = ClusterSnapshot.builder("prod").granularity(Granularity.PARTITION).time(time)
                .rows(List.of(row)).groups(List.of(new GroupLag("billing", GroupType.CONSUMER, GroupState.STABLE, 6L,
                        6L, 240.25))).duration(Duration.ofMillis(5)).build();
        return new Snapshot("a1b2c3d4e5f6", time, Shard.ALL, List.of(cluster));
    }
}
