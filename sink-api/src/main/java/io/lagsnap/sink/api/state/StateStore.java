package io.lagsnap.sink.api.state;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a run keeps the small per-cluster state the next run reads (the trend window): compute is stateless, the
 * state lives in storage, one object per cluster ({@code cluster=NAME/OBJECT} under the store's location).
 *
 * <p>The contract, for every store:
 * <ul>
 *   <li>A <b>version</b> is an opaque token naming one stored content: the SHA-256 of the bytes (file://), the
 *       object's ETag (s3://), its generation (gs://). Two reads of unchanged content give the same version; after
 *       any replace the version differs.</li>
 *   <li>{@link #replace} is a compare-and-set: it writes only if the stored version is still the expected one
 *       (null: only if nothing is stored), atomically in the store (a lock file, S3 {@code If-Match} /
 *       {@code If-None-Match: *}, GCS {@code ifGenerationMatch} / {@code doesNotExist}).</li>
 *   <li>{@code false} means another run replaced the object since it was read and nothing was written: the
 *       caller reads again and folds its update into the winner's state, so no update is lost. Any other failure
 *       throws.</li>
 *   <li>An object is replaced whole: a reader never sees half a state.</li>
 *   <li>Implementations are safe for concurrent use by several threads; overlapping runs in other processes are
 *       what the conditional replace is for.</li>
 * </ul>
 */
public interface StateStore extends AutoCloseable {
    /** The stored bytes and their version, or empty when nothing is stored yet. */
    Optional<Stored> read(String cluster) throws IOException;

    /**
     * Replaces the cluster's state if it is still at {@code expectedVersion} (null: only if nothing is stored).
     *
     * @return false when another run wrote first; nothing was written
     */
    boolean replace(String cluster, byte[] bytes, String expectedVersion) throws IOException;

    /** Releases the store's client, if it has one. */
    @Override
    default void close() throws IOException {
    }

    /** What {@link #read} found. */
    record Stored(byte[] bytes, String version) {
    }
}
