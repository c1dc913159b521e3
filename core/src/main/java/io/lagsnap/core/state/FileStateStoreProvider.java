package io.lagsnap.core.state;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import io.lagsnap.sink.api.state.StateStoreProvider;
import java.nio.file.Path;

/** {@code file:///dir}: a {@link FileStateStore} in that directory (created on the first write). */
public final class FileStateStoreProvider implements StateStoreProvider {
    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public StateStore open(StateLocation location, Deadline deadline) {
        return new FileStateStore(Path.of(location.url()), location.objectName());
    }
}
