package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.model.Shard;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Sink tables are checked when the sink is created, before anything is contacted, with messages naming the key. */
class ObjectStoreSinkProviderTest {

    @Test
    void urlsNameABucketAndAPrefixOrAnAbsoluteDirectory() {
        assertThat(StoreUrl.parse("s3://my-bucket/lagsnap/history/", "at"))
                .isEqualTo(new StoreUrl(StoreUrl.Scheme.S3, "my-bucket", "lagsnap/history"));
        assertThat(StoreUrl.parse("gs://my_bucket", "at")).isEqualTo(new StoreUrl(StoreUrl.Scheme.GCS, "my_bucket", ""));
        assertThat(StoreUrl.parse("file:///var/lib/lag%20snap", "at"))
                .isEqualTo(new StoreUrl(StoreUrl.Scheme.FILE, "/var/lib/lag snap", ""));
        assertThat(StoreUrl.parse("s3://b/p", "at").locate("p/k")).isEqualTo("s3://b/p/k");
    }

    @Test
    void badUrlsAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> create("url = \"http://bucket/prefix\""))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t.toml:7: sinks[0].url: \"http://bucket/prefix\" must start with s3://, gs:// or file://");
        assertThatThrownBy(() -> create("url = \"s3:///prefix\""))
                .hasMessage("t.toml:7: sinks[0].url: \"s3:///prefix\" needs a bucket name after s3:// (letters, digits, '.', '_', '-')");
        assertThatThrownBy(() -> create("url = \"file://relative/dir\""))
                .hasMessage("t.toml:7: sinks[0].url: \"file://relative/dir\" needs an absolute directory, e.g. file:///var/lib/lagsnap");
        assertThatThrownBy(() -> create("latest = true"))
                .hasMessage("t.toml:5: sinks[0].url: required for sink type \"object_store\"");
    }

    @Test
    void unknownAndMisplacedKeysAreRejected() {
        assertThatThrownBy(() -> create("url = \"s3://b/p\"\npath_styel = true"))
                .hasMessage("t.toml:8: sinks[0].path_styel: unknown key \"path_styel\" (did you mean \"path_style\"?)");
        assertThatThrownBy(() -> create("url = \"gs://b/p\"\nregion = \"eu-west-1\""))
                .hasMessage("t.toml:8: sinks[0].region: only applies to s3:// urls, not gs://");
        assertThatThrownBy(() -> create("url = \"s3://b/p\"\nendpoint = \"minio:9000\""))
                .hasMessage("t.toml:8: sinks[0].endpoint: \"minio:9000\" is not an http(s) URL such as \"https://minio.example.com:9000\"");
        assertThatThrownBy(() -> create("url = \"s3://b/p\"\nregion = \"EU West\""))
                .hasMessage("t.toml:8: sinks[0].region: \"EU West\" is not a region name such as \"eu-west-1\"");
        assertThatThrownBy(() -> create("url = \"s3://b/p\"\nlatest = \"yes\""))
                .hasMessage("t.toml:8: sinks[0].latest: expected true or false, got \"yes\"");
    }

    @Test
    void refreshSecondsIsAWholeNumberOfSecondsUpToADayAndNeedsThePage() {
        assertThatThrownBy(() -> create("url = \"file:///tmp\"\nhtml = true\nrefresh_seconds = -1"))
                .hasMessage("t.toml:9: sinks[0].refresh_seconds: -1 is out of range: must be from 0 to 86400");
        assertThatThrownBy(() -> create("url = \"file:///tmp\"\nhtml = true\nrefresh_seconds = \"1m\""))
                .hasMessage("t.toml:9: sinks[0].refresh_seconds: expected a whole number, got \"1m\"");
        assertThatThrownBy(() -> create("url = \"file:///tmp\"\nrefresh_seconds = 30"))
                .hasMessage("t.toml:8: sinks[0].refresh_seconds: only applies with html = true");
        assertThat(create("url = \"file:///tmp\"\nhtml = true\nrefresh_seconds = 0"))
                .isInstanceOf(ObjectStoreSink.class);
    }

    @Test
    void s3SettingsAreReadAndTheSinkIsBuiltWithoutConnecting() throws Exception {
        // port 9 (discard) has no listener here: building must not need one
        String table = "url = \"s3://b/p\"\nregion = \"eu-west-1\"\nendpoint = \"http://127.0.0.1:9\"\npath_style = true";
        LagsnapConfig config = config(table);
        assertThat(S3Settings.from(config.sinks().get(0)))
                .isEqualTo(new S3Settings("eu-west-1", URI.create("http://127.0.0.1:9"), true));
        Sink sink = create(table);
        assertThat(sink).isInstanceOf(ObjectStoreSink.class);
        sink.close();
    }

    private static Sink create(String keys) {
        LagsnapConfig config = config(keys);
        return SinkRegistry.load().create(config.sinks(), c -> new SinkContext(config.clusters().stream().map(ClusterConfig::kafkaCluster).toList(), n -> null, Shard.ALL))
                .get(0).sink();
    }

    private static LagsnapConfig config(String keys) {
        return new ConfigLoader(name -> null).parse("""
                [[clusters]]
                name = "prod"
                bootstrap_servers = "127.0.0.1:9"

                [[sinks]]
                type = "object_store"
                %s
                """.formatted(keys), "t.toml");
    }
}
