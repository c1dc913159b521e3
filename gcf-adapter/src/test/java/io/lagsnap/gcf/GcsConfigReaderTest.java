package io.lagsnap.gcf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.invocation.ConfigSource;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LAGSNAP_CONFIG_URL=gs://... read through the Storage client. Google's in-memory Storage (LocalStorageHelper)
 * stands in for GCS, which cannot run here; the client API calls are the real ones.
 */
class GcsConfigReaderTest {
    private final StorageOptions options = LocalStorageHelper.getOptions();

    private LagsnapConfig load(String url) {
        return new ConfigSource(Map.of("LAGSNAP_CONFIG_URL", url)::get, "gs",
                new GcsConfigReader(timeout -> options.getService())).load(Deadline.after(Duration.ofSeconds(30)))
                .config();
    }

    @Test
    void configObjectIsReadFromTheBucket() {
        options.getService().create(BlobInfo.newBuilder("lagsnap-config", "prod/lagsnap.toml").build(), """
                [[clusters]]
                name = "prod"
                bootstrap_servers = "kafka-1:9092"
                """.getBytes(StandardCharsets.UTF_8));

        LagsnapConfig config = load("gs://lagsnap-config/prod/lagsnap.toml");

        assertThat(config.source()).isEqualTo("gs://lagsnap-config/prod/lagsnap.toml");
        assertThat(config.clusters()).extracting(ClusterConfig::name).containsExactly("prod");
    }

    @Test
    void missingObjectIsAConfigErrorNamingTheUrl() {
        assertThatThrownBy(() -> load("gs://lagsnap-config/absent.toml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("gs://lagsnap-config/absent.toml: cannot read config: ");
    }

    @Test
    void s3UrlIsRejectedInTheCloudFunction() {
        assertThatThrownBy(() -> load("s3://lagsnap-config/lagsnap.toml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("LAGSNAP_CONFIG_URL=s3://lagsnap-config/lagsnap.toml: expected gs://bucket/key");
    }
}
