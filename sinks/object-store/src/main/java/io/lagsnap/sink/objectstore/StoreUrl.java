package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where snapshots go, parsed from the sink's {@code url}: {@code s3://bucket/prefix}, {@code gs://bucket/prefix} or
 * {@code file:///dir}. For file URLs the directory plays the bucket and the prefix is empty.
 *
 * @param prefix the key prefix without leading or trailing slashes, possibly empty
 */
record StoreUrl(Scheme scheme, String bucket, String prefix) {

    enum Scheme {
        S3("s3://"), GCS("gs://"), FILE("file://");

        final String marker;

        Scheme(String marker) {
            this.marker = marker;
        }

        /** The URI scheme, e.g. "s3". */
        String uriScheme() {
            return marker.substring(0, marker.indexOf(':'));
        }
    }

    /** @param at the key path for messages, e.g. {@code config.toml: sinks[0].url} */
    static StoreUrl parse(String url, String at) {
        for (Scheme s : Scheme.values()) {
            if (url.startsWith(s.marker)) {
                return s == Scheme.FILE ? file(url, at) : bucket(s, url.substring(s.marker.length()), url, at);
            }
        }
        throw new ConfigException(at + ": \"" + url + "\" must start with s3://, gs:// or file://");
    }

    private static StoreUrl bucket(Scheme scheme, String rest, String url, String at) {
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : trimSlashes(rest.substring(slash + 1));
        if (bucket.isEmpty() || !bucket.matches("[a-zA-Z0-9._-]+")) {
            throw new ConfigException(at + ": \"" + url + "\" needs a bucket name after " + scheme.marker
                    + " (letters, digits, '.', '_', '-')");
        }
        if (prefix.contains("//")) {
            throw new ConfigException(at + ": \"" + url + "\" has an empty path segment in its prefix");
        }
        return new StoreUrl(scheme, bucket, prefix);
    }

    private static StoreUrl file(String url, String at) {
        try {
            URI uri = new URI(url);
            if (uri.getAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw new ConfigException(at + ": \"" + url + "\" needs an absolute directory, e.g. file:///var/lib/lagsnap");
            }
            return new StoreUrl(Scheme.FILE, Path.of(uri).toString(), "");
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConfigException(at + ": \"" + Urls.shown(url) + "\" is not a valid file URL: "
                    + Urls.shown(e.getMessage()), e);
        }
    }

    private static String trimSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }

    /** The URL of a key in this store, for messages: {@code s3://bucket/key} or {@code file:///dir/key}. */
    String locate(String key) {
        // the key as stored: a file URI would percent-encode its escapes a second time
        return scheme == Scheme.FILE ? "file://" + Path.of(bucket).toAbsolutePath().resolve(key)
                : scheme.marker + bucket + "/" + key;
    }
}
