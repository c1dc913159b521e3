package io.lagsnap.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.Test;

/**
 * A Cloud Function's log path is java.util.logging: a secret the run registered must not reach a JUL handler's
 * output, whether it comes as a parameter, in the message text or in an exception's stack trace.
 */
class LogScrubbingTest {
    private static final String TOKEN = "jul-echoed-token-5f1c";

    @Test
    void aJulHandlerNeverWritesARegisteredSecret() throws IOException {
        Secrets.of(new LagsnapConfig("test.toml", ExporterConfig.DEFAULTS, RunConfig.DEFAULTS, List.of(), List.of(),
                List.of())).register(TOKEN);
        Logger root = Logger.getLogger("");
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Handler handler = new StreamHandler(written, new SimpleFormatter());
        root.addHandler(handler);
        try {
            LogScrubbing.scrubJulHandlers();
            Logger otel = Logger.getLogger("io.opentelemetry.exporter.test");
            otel.log(Level.WARNING, "export failed, headers {0}", "Authorization: Bearer " + TOKEN);
            otel.log(Level.WARNING, "server said: x-api-key=" + TOKEN,
                    new IOException("HTTP 401 echoing " + TOKEN));
            handler.flush();
        } finally {
            root.removeHandler(handler);
        }
        String log = written.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("export failed, headers Authorization: Bearer [redacted]",
                "server said: x-api-key=[redacted]", "java.io.IOException: HTTP 401 echoing [redacted]")
                .doesNotContain(TOKEN);
    }
}
