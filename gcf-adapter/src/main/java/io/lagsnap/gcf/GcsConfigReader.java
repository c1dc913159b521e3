package io.lagsnap.gcf;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lagsnap.core.config.ConfigSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Reads {@code LAGSNAP_CONFIG_URL=gs://bucket/object} with Application Default Credentials (the function's service
 * account). The client is made per invocation, so nothing outlives it.
 */
final class GcsConfigReader implements ConfigSource.UrlReader {
    /** Retries included: the config read must leave the run most of the function's time. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Supplier<Storage> storage;

    GcsConfigReader() {
        this(() -> {
            StorageOptions defaults = StorageOptions.getDefaultInstance();
            return defaults.toBuilder().setRetrySettings(defaults.getRetrySettings().toBuilder()
                    .setTotalTimeoutDuration(TIMEOUT).build()).build().getService();
        });
    }

    GcsConfigReader(Supplier<Storage> storage) {
        this.storage = storage;
    }

    @Override
    public String read(URI url) throws Exception {
        Storage gcs = storage.get();
        try {
            byte[] bytes = gcs.readAllBytes(BlobId.of(url.getHost(), url.getPath().substring(1)));
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            gcs.close();
        }
    }
}
