package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code type = "object_store"}: {@code url} (s3://bucket/prefix, gs://bucket/prefix or file:///dir, required),
 * {@code latest} (also replace {@code cluster=NAME/latest.json}, default false), {@code html} (also replace the
 * cluster's lag status page {@code cluster=NAME/index.html}, default false), {@code refresh_seconds} (how often
 * the page reloads itself: the schedule's interval, default 60, 0 for never) and, for s3:// only,
 * {@code region}, {@code endpoint} and {@code path_style}.
 *
 * <p>The store for a scheme is only referenced from the lambda that opens it, so this class and the sink load
 * without the AWS or Google SDK; {@link CloudSdk#require} turns a missing SDK into a config error.
 */
public final class ObjectStoreSinkProvider implements SinkProvider {
    private static final Set<String> KEYS;
    /** The status page's reload interval by default: a 1-minute schedule. */
    static final int DEFAULT_REFRESH_SECONDS = 60;
    /** A day: a page reloading less often than its runs would show a stale snapshot as current. */
    static final int MAX_REFRESH_SECONDS = 86_400;

    static {
        Set<String> keys = new HashSet<>(Set.of("url", "latest", "html", "refresh_seconds"));
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
        // the page has no script to count its own age: it reloads when the next run has replaced it
        int refreshSeconds = config.integer("refresh_seconds", DEFAULT_REFRESH_SECONDS, 0, MAX_REFRESH_SECONDS);
        if (!html && config.has("refresh_seconds")) {
            config.problem("refresh_seconds", "only applies with html = true");
        }
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
        return new ObjectStoreSink(url, latest, html ? refreshSeconds : ObjectStoreSink.NO_PAGE, opener);
    }

    /**
     * The sink's url: the run's trend state sits next to each cluster's {@code latest.json} when {@code [run] state}
     * is unset, opened by {@link ObjectStateStoreProvider} (s3://, gs://) or core (file://) with this table's settings.
     */
    @Override
    public Optional<URI> stateLocation(SinkConfig config) {
        StoreUrl url = StoreUrl.parse(config.requiredString("url"), config.at("url"));
        if (url.scheme() == StoreUrl.Scheme.FILE) {
            return Optional.of(Path.of(url.bucket()).toUri());
        }
        try {
            String path = url.prefix().isEmpty() ? null : "/" + url.prefix();
            return Optional.of(new URI(url.scheme().uriScheme(), url.bucket(), path, null));
        } catch (URISyntaxException e) {
            throw new ConfigException(config.at("url") + ": \"" + config.requiredString("url")
                    + "\" cannot be a state location: " + e.getReason());
        }
    }
}
