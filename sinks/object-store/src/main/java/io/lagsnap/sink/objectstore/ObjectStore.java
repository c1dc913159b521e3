package io.lagsnap.sink.objectstore;

import java.io.IOException;

/**
 * The little the sink needs from a bucket. One implementation per URL scheme; each lives in its own class so that
 * an artifact without the AWS or Google SDK never loads the store that needs it.
 */
interface ObjectStore extends AutoCloseable {
    /**
     * Writes a new object and never replaces one: the store refuses when the key exists (S3 {@code If-None-Match: *},
     * GCS {@code doesNotExist}, a local hard link), and the write then fails with {@link ObjectStoreException#exists}.
     */
    void create(StoredObject object) throws IOException;

    /** Writes or replaces an object, e.g. {@code latest.json}. */
    void replace(StoredObject object) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
