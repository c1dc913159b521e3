package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import io.lagsnap.sink.api.state.StateStoreProvider;
import java.io.IOException;
import java.net.URI;

/**
 * Run state in s3:// and gs:// buckets with the sink's own store classes and settings: the location's sink table (an
 * object_store sink in the same bucket) gives {@code region}, {@code endpoint} and {@code path_style}; without one the
 * SDK's defaults apply. Credentials come from the SDK's default chain, as for the sink. One subclass per scheme,
 * as {@link java.util.ServiceLoader} finds providers by class.
 */
public abstract sealed class ObjectStateStoreProvider implements StateStoreProvider {
    private final StoreUrl.Scheme scheme;

    ObjectStateStoreProvider(StoreUrl.Scheme scheme) {
        this.scheme = scheme;
    }

    @Override
    public String scheme() {
        return scheme.uriScheme();
    }

    @Override
    public StateStore open(StateLocation location, Deadline deadline) throws IOException {
        // from the URI's decoded parts: its text quotes what the sink's url kept as is
        URI uri = location.url();
        StoreUrl url = StoreUrl.parse(uri.getScheme() + "://" + uri.getAuthority()
                + (uri.getPath() == null ? "" : uri.getPath()), location.at());
        VersionedObjects objects = switch (scheme) {
            case S3 -> {
                CloudSdk.AWS.require(location.at());
                S3Settings settings = location.settings() == null ? S3Settings.DEFAULTS
                        : S3Settings.from(location.settings());
                yield S3Store.open(url.bucket(), settings, deadline);
            }
            case GCS -> {
                CloudSdk.GOOGLE.require(location.at());
                yield GcsStore.open(url.bucket(), deadline);
            }
            case FILE -> throw new IllegalStateException("file:// state is core's FileStateStore");
        };
        return new ObjectStateStore(objects, url.prefix(), location);
    }

    /** {@code s3://bucket/prefix}. */
    public static final class S3 extends ObjectStateStoreProvider {
        public S3() {
            super(StoreUrl.Scheme.S3);
        }
    }

    /** {@code gs://bucket/prefix}. */
    public static final class Gcs extends ObjectStateStoreProvider {
        public Gcs() {
            super(StoreUrl.Scheme.GCS);
        }
    }
}
