package io.lagsnap.sink.objectstore;

import java.io.IOException;
import java.util.List;

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

    /** Every key that starts with {@code prefix} (a folder ending in '/'), at any depth, for history readers. */
    List<String> listKeys(String prefix) throws IOException;

    /** An object's bytes as stored (a gzip object stays gzipped). */
    byte[] readBytes(String key) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
