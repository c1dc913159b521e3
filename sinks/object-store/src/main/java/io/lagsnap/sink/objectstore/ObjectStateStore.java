package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import java.io.IOException;
import java.util.Optional;

/**
 * The run state in a bucket: {@code PREFIX/cluster=NAME/OBJECT}, next to the cluster's history and
 * {@code latest.json}, replaced by the store's conditional put. Safe for concurrent use as the SDK clients are.
 */
final class ObjectStateStore implements StateStore {
    private final VersionedObjects objects;
    private final String prefix;
    private final StateLocation location;

    ObjectStateStore(VersionedObjects objects, String prefix, StateLocation location) {
        this.objects = objects;
        this.prefix = prefix;
        this.location = location;
    }

    @Override
    public Optional<Stored> read(String cluster) throws IOException {
        return objects.read(location.key(prefix, cluster));
    }

    @Override
    public boolean replace(String cluster, byte[] bytes, String expectedVersion) throws IOException {
        String type = location.objectName().endsWith(".gz") ? "application/gzip" : "application/octet-stream";
        return objects.replaceIf(new StoredObject(location.key(prefix, cluster), bytes, type, null), expectedVersion);
    }

    @Override
    public void close() throws IOException {
        objects.close();
    }
}
