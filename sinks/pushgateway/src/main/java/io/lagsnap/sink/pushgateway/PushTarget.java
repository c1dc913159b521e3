package io.lagsnap.sink.pushgateway;

import io.lagsnap.sink.api.format.PrometheusText;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** Where and as whom the sink pushes: the Pushgateway, the job, the extra grouping labels and the credentials. */
record PushTarget(URI url, String job, Map<String, String> extraLabels, PushAuth auth) {
    /** Body bytes sent per HTTP chunk: the exposition goes out as it is encoded, never whole in memory. */
    private static final int CHUNK = 64 * 1024;
    /** Enough of an error body to say why; the rest is dropped. */
    private static final int ERROR_BODY_LIMIT = 4096;

    /** Writes a push body to the request as it is encoded. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    PushTarget {
        extraLabels = Map.copyOf(extraLabels);
    }

    /** host:port plus any path prefix (a Pushgateway behind a proxy path), to which /metrics/... is appended. */
    String address() {
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return url.getRawAuthority() + path;
    }

    /**
     * PUTs one group ({@code labels} plus the configured ones) in one request, so that the Pushgateway replaces the
     * group atomically; the body, Prometheus text, is streamed in HTTP chunks. Connecting, writing and reading are
     * each bounded by {@code budget}. The messages are those client_java's PushGateway gave, as reports showed them.
     */
    void put(Map<String, String> labels, Duration budget, Body body) throws IOException {
        URI groupUrl = groupUrl(labels);
        try {
            HttpURLConnection connection = new BoundedConnections(budget).open(groupUrl.toURL());
            try {
                connection.setRequestMethod("PUT");
                connection.setDoOutput(true);
                connection.setChunkedStreamingMode(CHUNK);
                connection.setConnectTimeout(Math.toIntExact(Math.max(1, budget.toMillis())));
                connection.setReadTimeout(Math.toIntExact(Math.max(1, budget.toMillis())));
                connection.setRequestProperty("Content-Type", PrometheusText.CONTENT_TYPE);
                auth.header().ifPresent(value -> connection.setRequestProperty("Authorization", value));
                connection.connect();
                try (OutputStream out = new BufferedOutputStream(connection.getOutputStream(), CHUNK)) {
                    body.writeTo(out);
                }
                int status = connection.getResponseCode();
                if (status / 100 != 2) {
                    String errorBody = errorBody(connection);
                    throw new IOException("Response code from " + groupUrl + " was " + status
                            + (errorBody == null ? "" : ", response body: " + errorBody));
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            throw new IOException("Failed to push metrics to the Prometheus Pushgateway on " + url.getScheme()
                    + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@code /metrics/job/<job>/<label>/<value>...}, labels in name order. Values are percent-encoded path segments
     * (a space as %20: the Pushgateway keeps '+' literally); a value with '/' or an empty one uses the Pushgateway's
     * base64url form, which it offers for exactly those.
     */
    URI groupUrl(Map<String, String> labels) {
        Map<String, String> key = new TreeMap<>(labels);
        key.putAll(extraLabels);
        StringBuilder path = new StringBuilder(url.getScheme()).append("://").append(address()).append("/metrics");
        appendLabel(path, "job", job);
        key.forEach((name, value) -> appendLabel(path, name, value));
        return URI.create(path.toString());
    }

    private static void appendLabel(StringBuilder path, String name, String value) {
        if (value.isEmpty()) {
            // an empty path segment would vanish; "=" is the Pushgateway's spelling of the empty value
            path.append('/').append(name).append("@base64/=");
        } else if (value.contains("/") || value.equals(".") || value.equals("..")) {
            // "." and ".." would be dot segments, which the Pushgateway answers with a 301 redirect
            path.append('/').append(name).append("@base64/")
                    .append(Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        } else {
            path.append('/').append(name).append('/')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    private static String errorBody(HttpURLConnection connection) throws IOException {
        try (InputStream in = connection.getErrorStream()) {
            if (in == null) {
                return null;
            }
            byte[] head = in.readNBytes(ERROR_BODY_LIMIT);
            return new String(head, StandardCharsets.UTF_8);
        }
    }
}
