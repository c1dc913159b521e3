package io.lagsnap.sink.objectstore;

import static io.lagsnap.sink.objectstore.HttpStandIn.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A history object's create refused by GCS (412) counts as written when the key holds exactly its bytes. No GCS
 * server or emulator runs here, so the server is a STAND-IN behind the real Storage client: it answers the resumable
 * upload's finalizing PUT with 412, and serves the stored object as GCS serves a {@code Content-Encoding: gzip}
 * object with {@code Cache-Control: no-transform}: the gzipped bytes with that header. google-cloud-nio's
 * LocalStorageHelper cannot show it: it never sends the header, so its readers never gunzip.
 */
class GcsHistoryCreateTest {
    private static final String BUCKET = "lagsnap-history";
    private static final String KEY = "lagsnap/cluster=prod/dt=2026-11-17/hour=22/lagsnap-20261117T220000Z-1.ndjson.gz";

    @Test
    void aRefusedCreateWhoseKeyHoldsItsGzippedBytesIsWrittenAndOtherBytesAlreadyExist() throws Exception {
        byte[] stored = gzip("{\"group\":\"billing\"}\n");
        try (HttpStandIn server = new HttpStandIn(exchange -> {
            String method = exchange.getRequestMethod();
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            if ("POST".equals(method)) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + exchange.getLocalAddress().getPort()
                        + "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=resumable&upload_id=session-1");
                respond(exchange, 200, "application/json", "");
            } else if ("PUT".equals(method)) {
                respond(exchange, 412, "application/json", "{\"error\":{\"code\":412,\"message\":\"At least one of "
                        + "the pre-conditions you specified did not hold.\"}}");
            } else if (query.contains("alt=media")) {
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                respond(exchange, 200, ObjectStoreSink.NDJSON, stored);
            } else {
                respond(exchange, 200, "application/json", "{\"kind\":\"storage#object\",\"bucket\":\"" + BUCKET
                        + "\",\"name\":\"" + KEY + "\",\"generation\":\"7\",\"contentEncoding\":\"gzip\","
                        + "\"size\":\"" + stored.length + "\"}");
            }
        }); GcsStore store = new GcsStore(server.gcs(), BUCKET)) {
            store.create(new StoredObject(KEY, stored, ObjectStoreSink.NDJSON, "gzip"));
            assertThat(server.requests).hasSize(4);
            assertThat(server.requests.get(0)).startsWith("POST /upload/storage/v1/b/" + BUCKET + "/o?")
                    .contains("ifGenerationMatch=0");
            assertThat(server.requests.get(3)).contains("alt=media").contains("ifGenerationMatch=7");

            assertThatThrownBy(() -> store.create(new StoredObject(KEY, gzip("{\"group\":\"audit\"}\n"),
                    ObjectStoreSink.NDJSON, "gzip")))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessage("bucket \"" + BUCKET + "\", key \"" + KEY
                            + "\": already exists; history objects are never overwritten");
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
