package io.lagsnap.sink.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BoundedConnectionsTest {
    @Test
    void aBodyTheGatewayNeverReadsIsCutOffWhenTheAttemptsTimeIsUp() throws Exception {
        try (HangingEndpoint hanging = new HangingEndpoint()) {
            HttpURLConnection c = new BoundedConnections(Duration.ofSeconds(1))
                    .open(URI.create(hanging.url() + "/metrics/job/x").toURL());
            c.setRequestMethod("PUT");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(1L << 32);
            byte[] chunk = new byte[1 << 20];
            // far more than the socket buffers hold: without the watchdog this write blocks forever
            assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
                    assertThatThrownBy(() -> {
                        try (OutputStream out = c.getOutputStream()) {
                            for (int i = 0; i < 4096; i++) {
                                out.write(chunk);
                            }
                        }
                    }).isInstanceOf(IOException.class));
            assertThat(hanging.connections()).isEqualTo(1);
        }
    }
}
