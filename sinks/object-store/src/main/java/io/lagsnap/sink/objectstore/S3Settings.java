package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The S3-only keys, validated without touching the AWS SDK (so this class loads in any artifact).
 *
 * @param region e.g. "eu-west-1"; null to take it from the SDK's default chain (AWS_REGION on Lambda)
 * @param endpoint an S3-compatible store (MinIO, R2, Ceph), or null for AWS
 * @param pathStyle {@code https://host/bucket/key} instead of {@code https://bucket.host/key}
 */
record S3Settings(String region, URI endpoint, boolean pathStyle) {
    static final Set<String> KEYS = Set.of("region", "endpoint", "path_style");
    /** No sink table: the SDK's default chain for the region, AWS itself, virtual-host addressing. */
    static final S3Settings DEFAULTS = new S3Settings(null, null, false);

    static S3Settings from(SinkConfig config) {
        return from(config, config::at);
    }

    /** As {@link #from(SinkConfig)}, a bad value named by {@code name} of its key (the history CLI's flags). */
    static S3Settings from(SinkConfig config, UnaryOperator<String> name) {
        String region = config.string("region", null);
        if (region != null && !region.matches("[a-z0-9-]+")) {
            throw new ConfigException(name.apply("region") + ": \"" + region
                    + "\" is not a region name such as \"eu-west-1\"");
        }
        return new S3Settings(region, endpoint(config.string("endpoint", null), name),
                config.bool("path_style", false));
    }

    private static URI endpoint(String text, UnaryOperator<String> name) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below with the expected form
        }
        throw new ConfigException(name.apply("endpoint") + ": \"" + text
                + "\" is not an http(s) URL such as \"https://minio.example.com:9000\"");
    }
}
