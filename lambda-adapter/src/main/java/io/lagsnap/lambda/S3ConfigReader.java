package io.lagsnap.lambda;

import io.lagsnap.core.invocation.ConfigSource;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads {@code LAGSNAP_CONFIG_URL=s3://bucket/key} with the function's own credentials and region (the SDK's
 * default chains, so SnapStart's restored credentials are used too). One client per invocation, closed after, and
 * every call bounded by the time the invocation has left.
 */
final class S3ConfigReader implements ConfigSource.UrlReader {
    @Override
    public String read(URI url, Duration timeout) {
        try (S3Client s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.apiCallTimeout(timeout))
                .build()) {
            return s3.getObjectAsBytes(r -> r.bucket(url.getHost()).key(url.getPath().substring(1))).asUtf8String();
        }
    }
}
