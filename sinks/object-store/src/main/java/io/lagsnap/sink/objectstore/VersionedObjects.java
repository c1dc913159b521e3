package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.state.StateStore;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Objects read with their version and replaced by compare-and-set, for the run state: S3 (the ETag, PutObject with
 * {@code If-Match} or {@code If-None-Match: *}) and GCS (the generation, {@code ifGenerationMatch} or
 * {@code doesNotExist}). file:// state is core's FileStateStore.
 */
interface VersionedObjects extends AutoCloseable {
    /** The object's bytes and version, or empty when there is no such key. */
    Optional<StateStore.Stored> read(String key) throws IOException;

    /**
     * Writes the object if the stored one is still at {@code expectedVersion} (null: only if there is none).
     *
     * @return false when the store refused the precondition: another writer replaced (or removed) it first. A
     *     refusal is true when the key holds exactly these bytes ({@link #holds}): the client retried a write
     *     the store had completed, or another writer wrote the same state
     */
    boolean replaceIf(StoredObject object, String expectedVersion) throws IOException;

    /**
     * Whether the key already holds exactly these bytes. A write refused by its precondition was then this
     * writer's own: the store completed an attempt whose answer was lost, and the client's retry found it.
     */
    default boolean holds(StoredObject object) throws IOException {
        return read(object.key()).map(stored -> Arrays.equals(stored.bytes(), object.body())).orElse(false);
    }

    @Override
    void close() throws IOException;
}
