package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import static io.lagsnap.sink.objectstore.HttpStandIn.respond;

import io.lagsnap.sink.api.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GCS store's versioned read and conditional replace, checked by the requests the real Storage client sends. No
 * GCS server or emulator runs here, so the server is a STAND-IN: a local HTTP server that records each request and
 * answers as the GCS JSON API documents (the generation in the object's metadata, 404 for a missing object, 412
 * for a failed precondition). It proves the request shapes and the meaning given to the answers, not GCS's own
 * atomicity. google-cloud-nio's LocalStorageHelper, the fake the other GCS tests use, cannot stand in: its direct
 * upload throws UnsupportedOperationException for any generation precondition.
 */
class GcsTrendStateTest {
    private static final String BUCKET = "lagsnap-state";

    private static StoredObject object(String text) {
        return new StoredObject("lagsnap/cluster=prod/trend.json.gz", text.getBytes(StandardCharsets.UTF_8),
                "application/gzip", null);
    }

    @Test
    void aReplaceCarriesTheGenerationReadAndA412MeansAnotherRunWon() throws Exception {
        try (HttpStandIn server = new HttpStandIn(exchange -> {
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            if (exchange.getRequestURI().getPath().endsWith("/missing")) {
                respond(exchange, 404, "application/json", "{\"error\":{\"code\":404,\"message\":\"No such object\"}}");
            } else if ("GET".equals(exchange.getRequestMethod()) && query.contains("alt=media")) {
                respond(exchange, 200, "application/octet-stream", "stored");
            } else if ("GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 200, "application/json", metadata(41));
            } else if (query.contains("ifGenerationMatch=41")) {
                respond(exchange, 412, "application/json",
                        "{\"error\":{\"code\":412,\"message\":\"At least one of the pre-conditions you specified "
                                + "did not hold.\"}}");
            } else {
                respond(exchange, 200, "application/json", metadata(42));
            }
        }); GcsStore store = new GcsStore(server.gcs(), BUCKET)) {
            List<String> requests = server.requests;
            assertThat(store.read("lagsnap/missing")).isEmpty();
            assertThat(requests).singleElement().asString()
                    .startsWith("GET /storage/v1/b/" + BUCKET + "/o/lagsnap%2Fmissing");

            requests.clear();
            StateStore.Stored read = store.read(object("").key()).orElseThrow();
            assertThat(read.version()).isEqualTo("41");
            assertThat(new String(read.bytes(), StandardCharsets.UTF_8)).isEqualTo("stored");
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1)).contains("alt=media").contains("ifGenerationMatch=41");

            requests.clear();
            assertThat(store.replaceIf(object("lost"), "41")).as("412: another run replaced it").isFalse();
            // then reads the key back: it holds another run's bytes ("stored"), not a retried write of its own
            assertThat(requests).hasSize(3);
            assertThat(requests.get(0)).startsWith("POST /upload/storage/v1/b/" + BUCKET + "/o?")
                    .contains("ifGenerationMatch=41");
            assertThat(requests.get(2)).contains("alt=media");

            requests.clear();
            assertThat(store.replaceIf(object("first"), null)).isTrue();
            assertThat(requests).singleElement().asString().contains("ifGenerationMatch=0");
        }
    }

    private static String metadata(long generation) {
        return "{\"kind\":\"storage#object\",\"bucket\":\"" + BUCKET + "\",\"name\":\"lagsnap/cluster=prod/trend.json.gz\","
                + "\"generation\":\"" + generation + "\",\"size\":\"6\"}";
    }
}
