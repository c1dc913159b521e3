package io.lagsnap.sink.objectstore;

/**
 * One object to write, whole: stores upload {@code body} in a single request, so a failed write leaves nothing.
 *
 * @param key the full key inside the bucket (prefix included)
 * @param contentEncoding e.g. "gzip", or null when the body is not encoded
 */
record StoredObject(String key, byte[] body, String contentType, String contentEncoding) {
}
