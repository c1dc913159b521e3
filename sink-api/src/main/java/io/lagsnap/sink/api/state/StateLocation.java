package io.lagsnap.sink.api.state;

import io.lagsnap.sink.api.config.SinkConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the run state lives: each cluster's object is {@code cluster=NAME/OBJECT} under {@code url}.
 *
 * @param url e.g. {@code s3://bucket/prefix}, {@code gs://bucket/prefix} or {@code file:///var/lib/lagsnap}
 * @param objectName the object's file name, e.g. "trend.json.gz"
 * @param settings the sink table whose connection settings the store uses (an {@code object_store} sink's
 *     {@code region}, {@code endpoint}, {@code path_style}), or null for the store's defaults
 * @param at the config key the location came from, for messages, e.g. "run.state" or "sinks[0].url"
 */
public record StateLocation(URI url, String objectName, SinkConfig settings, String at) {

    /** The key of a cluster's object under {@code prefix} (no slashes at its ends, possibly empty). */
    public String key(String prefix, String cluster) {
        return (prefix.isEmpty() ? "" : prefix + "/") + "cluster=" + encodeCluster(cluster) + "/" + objectName;
    }

    /**
     * A cluster name as one key segment, percent-encoded (UTF-8, RFC 3986): letters, digits and {@code - . _ ~}
     * stay, everything else becomes {@code %XX}, e.g. "prod eu/1" becomes "prod%20eu%2F1". The object-store sink
     * names its history the same way, so the state sits next to the history of its cluster.
     */
    public static String encodeCluster(String cluster) {
        // URLEncoder is form encoding: fix up the three places where it differs from RFC 3986
        return URLEncoder.encode(cluster, StandardCharsets.UTF_8)
                .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }
}
