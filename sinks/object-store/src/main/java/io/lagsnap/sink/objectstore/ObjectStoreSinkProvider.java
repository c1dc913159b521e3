package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.SinkConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code type = "object_store"}: {@code url} (s3://bucket/prefix, gs://bucket/prefix or file:///dir, required),
 * {@code latest} (also replace {@code cluster=NAME/latest.json}, default false), {@code html} (also replace the
 * cluster's lag status page {@code cluster=NAME/index.html}, default false) and, for s3:// only,
 * {@code region}, {@code endpoint} and {@code path_style}.
 *
 * <p>The store for a scheme is only referenced from the lambda that opens it, so this class and the sink load
 * without the AWS or Google SDK; {@link CloudSdk#require} turns a missing SDK into a config error.
 */
public final class ObjectStoreSinkProvider implements SinkProvider {
    private static final Set<String> KEYS;

    static {
        Set<String> keys = new HashSet<>(Set.of("url", "latest", "html"));
        keys.addAll(S3Settings.KEYS);
        KEYS = Set.copyOf(keys);
    }

    @Override
    public String type() {
        return "object_store";
    }

    @Override
    public Sink create(SinkConfig config, SinkContext context) {
        config.requireOnlyKeys(KEYS);
        StoreUrl url = StoreUrl.parse(config.requiredString("url"), config.at("url"));
        boolean latest = config.bool("latest", false);
        boolean html = config.bool("html", false);
        if (url.scheme() != StoreUrl.Scheme.S3) {
            for (String key : S3Settings.KEYS) {
                if (config.has(key)) {
                    config.problem(key, "only applies to s3:// urls, not " + url.scheme().marker);
                }
            }
        }
        ObjectStoreSink.StoreOpener opener = switch (url.scheme()) {
            case FILE -> deadline -> new LocalStore(Path.of(url.bucket()));
            case S3 -> {
                CloudSdk.AWS.require(config.at("url"));
                S3Settings settings = S3Settings.from(config);
                yield deadline -> S3Store.open(url.bucket(), settings, deadline);
            }
            case GCS -> {
                CloudSdk.GOOGLE.require(config.at("url"));
                yield deadline -> GcsStore.open(url.bucket(), deadline);
            }
        };
        return new ObjectStoreSink(url, latest, html, opener);
    }
}
