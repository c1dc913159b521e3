package io.lagsnap.gcf;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lagsnap.core.invocation.ConfigSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * Reads {@code LAGSNAP_CONFIG_URL=gs://bucket/object} with Application Default Credentials (the function's service
 * account). The client is made per invocation, so nothing outlives it; its retries end with the invocation's time
 * for the read.
 */
final class GcsConfigReader implements ConfigSource.UrlReader {
    private final Function<Duration, Storage> storage;

    GcsConfigReader() {
        this(timeout -> {
            StorageOptions defaults = StorageOptions.getDefaultInstance();
            return defaults.toBuilder().setRetrySettings(defaults.getRetrySettings().toBuilder()
                    .setTotalTimeoutDuration(timeout).build()).build().getService();
        });
    }

    GcsConfigReader(Function<Duration, Storage> storage) {
        this.storage = storage;
    }

    @Override
    public String read(URI url, Duration timeout) throws Exception {
        Storage gcs = storage.apply(timeout);
        try {
            byte[] bytes = gcs.readAllBytes(BlobId.of(url.getHost(), url.getPath().substring(1)));
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            gcs.close();
        }
    }
}
