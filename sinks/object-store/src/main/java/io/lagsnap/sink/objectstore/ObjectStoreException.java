package io.lagsnap.sink.objectstore;

import java.io.IOException;

/**
 * A write that failed, with a message naming where and what: {@code bucket "b", key "k": reason} (for file URLs
 * {@code directory "/d", key "k": reason}).
 */
final class ObjectStoreException extends IOException {
    /** @param container e.g. {@code bucket "lagsnap-history"}, see {@link #bucket} and {@link #directory} */
    ObjectStoreException(String container, String key, String reason, Throwable cause) {
        super(container + ", key \"" + key + "\": " + reason, cause);
    }

    /** The store refused a create because the key exists; the existing object is untouched. */
    static ObjectStoreException exists(String container, String key, Throwable cause) {
        return new ObjectStoreException(container, key, "already exists; history objects are never overwritten",
                cause);
    }

    static String bucket(String name) {
        return "bucket \"" + name + "\"";
    }

    static String directory(String path) {
        return "directory \"" + path + "\"";
    }
}
