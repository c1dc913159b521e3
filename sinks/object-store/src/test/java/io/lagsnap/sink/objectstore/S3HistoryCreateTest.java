package io.lagsnap.sink.objectstore;

import static io.lagsnap.sink.objectstore.HttpStandIn.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.Deadline;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A history object's create answered 409 ConditionalRequestConflict, as S3 answers a conditional write that raced
 * another on the same key: like a 412, it counts as written when the key holds exactly its bytes. s3proxy 4.1.0
 * (the real S3 API server of the other tests) has no such error, so the server here is a STAND-IN behind the real
 * AWS SDK: it answers every PutObject with that 409 and GetObject with the object the test put there.
 */
class S3HistoryCreateTest {
    private static final String BUCKET = "lagsnap-history";
    private static final String KEY = "lagsnap/cluster=prod/dt=2026-11-17/hour=22/lagsnap-20261117T220000Z-1.ndjson.gz";

    @AfterEach
    void clearCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void aCreateAnswered409WhoseKeyHoldsItsBytesIsWrittenAndOtherBytesAlreadyExist() throws Exception {
        System.setProperty("aws.accessKeyId", "stand-in");
        System.setProperty("aws.secretAccessKey", "stand-in");
        AtomicReference<byte[]> stored = new AtomicReference<>(bytes("ours"));
        try (HttpStandIn server = new HttpStandIn(exchange -> {
            if ("PUT".equals(exchange.getRequestMethod())) {
                respond(exchange, 409, "application/xml", "<Error><Code>ConditionalRequestConflict</Code><Message>A "
                        + "conflicting conditional operation is currently in progress against this resource."
                        + "</Message></Error>");
            } else {
                exchange.getResponseHeaders().add("ETag", "\"e1\"");
                respond(exchange, 200, ObjectStoreSink.NDJSON, stored.get());
            }
        }); S3Store store = S3Store.open(BUCKET, new S3Settings("us-east-1", URI.create(server.endpoint()), true),
                Deadline.after(Duration.ofSeconds(30)))) {
            store.create(new StoredObject(KEY, bytes("ours"), ObjectStoreSink.NDJSON, "gzip"));
            // the SDK percent-encodes the key's '='
            String path = "/" + BUCKET + "/" + KEY.replace("=", "%3D");
            assertThat(server.requests).hasSize(2);
            assertThat(server.requests.get(0)).startsWith("PUT " + path);
            assertThat(server.requests.get(1)).startsWith("GET " + path);

            stored.set(bytes("the other writer's"));
            assertThatThrownBy(() -> store.create(new StoredObject(KEY, bytes("ours"), ObjectStoreSink.NDJSON, "gzip")))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessage("bucket \"" + BUCKET + "\", key \"" + KEY
                            + "\": already exists; history objects are never overwritten");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
