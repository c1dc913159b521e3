package io.lagsnap.core.state;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a run keeps the small per-cluster state the next run reads (the trend window): compute is stateless, the
 * state lives in storage. Replacing is conditional, so two overlapping runs never lose an update: the loser sees
 * {@code false}, reads again and folds its snapshot into the winner's state.
 */
public interface StateStore {
    /** The stored bytes and the version a conditional replace names, or empty when nothing is stored yet. */
    Optional<Stored> read(String cluster) throws IOException;

    /**
     * Replaces the cluster's state if it is still at {@code expectedVersion} (null: only if nothing is stored).
     *
     * @return false when another run wrote first; nothing was written
     */
    boolean replace(String cluster, byte[] bytes, String expectedVersion) throws IOException;

    /** What {@link #read} found. */
    record Stored(byte[] bytes, String version) {
    }
}
