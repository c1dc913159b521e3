package io.lagsnap.lambda;

import io.lagsnap.core.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads {@code LAGSNAP_CONFIG_URL=s3://bucket/key} with the function's own credentials and region (the SDK's
 * default chains, so SnapStart's restored credentials are used too). One client per invocation, closed after.
 */
final class S3ConfigReader implements ConfigSource.UrlReader {
    private final Duration timeout;

    S3ConfigReader(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String read(URI url) {
        try (S3Client s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(timeout))
                .build()) {
            return s3.getObjectAsBytes(r -> r.bucket(url.getHost()).key(url.getPath().substring(1))).asUtf8String();
        }
    }
}
