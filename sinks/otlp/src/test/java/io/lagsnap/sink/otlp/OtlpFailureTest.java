package io.lagsnap.sink.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.testkit.ExternalProcess;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testsupport.RunReports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OTLP endpoint that is down, failing or hanging: the export is retried with backoff inside its timeout and the
 * run deadline, then reported failed, while the file sink of the same run still delivers and the run exits 1. The
 * run metrics' export that follows goes the same way and is reported after the snapshot's failure.
 */
class OtlpFailureTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() {
        KAFKA.broker().scenario().topic("oa-t", 1).produce("oa-t", 0, 3, i -> 1_000L).commit("oa-g", "oa-t", 0, 1L);
    }

    private RunReport runFailing(String otlpKeys, Duration deadline) throws Exception {
        Path file = dir.resolve("out.json");
        RunReport report = OtlpSinkTest.run(OtlpSinkTest.config(KAFKA.broker().bootstrapServers(), otlpKeys)
                + "[[sinks]]\ntype = \"file\"\npath = \"" + file + "\"\n", Map.of(), deadline);

        RunReports.assertFailedBesideAWorkingFileSink(report, "otlp", file, "oa-g");
        return report;
    }

    @Test
    void anEndpointThatIsDownIsRetriedThenReported() throws Exception {
        int closedPort = ExternalProcess.freePort();
        // Refused connections leave nothing to count on the server side; OTel's retry interceptor logs each attempt.
        List<String> attempts = new CopyOnWriteArrayList<>();
        Logger retries = Logger.getLogger("io.opentelemetry.exporter.sender.okhttp.internal.RetryInterceptor");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                attempts.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        retries.setLevel(Level.FINER);
        retries.addHandler(handler);
        try {
            String endpoint = "http://127.0.0.1:" + closedPort;
            SinkOutcome outcome = runFailing("endpoint = \"" + endpoint + "\"\nretries = 2", Duration.ofSeconds(30))
                    .sinks().get(0);

            String refused = "java.net.ConnectException: Failed to connect to /127.0.0.1:" + closedPort;
            assertThat(outcome.detail()).isEqualTo("otlp http/protobuf " + endpoint + "/v1/metrics: " + refused
                    + "; run report not published: run metrics: " + refused);
            // three attempts for the snapshot, three for the run metrics
            assertThat(attempts).containsExactly("Attempt 0 failed with retryable exception",
                    "Attempt 1 failed with retryable exception", "Attempt 2 failed with retryable exception",
                    "Attempt 0 failed with retryable exception", "Attempt 1 failed with retryable exception",
                    "Attempt 2 failed with retryable exception");
        } finally {
            retries.removeHandler(handler);
            retries.setLevel(null);
        }
    }

    @Test
    void anHttpEndpointAnswering503IsRetriedThenReported() throws Exception {
        try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
            receiver.answer(OtlpReceiver.Answer.UNAVAILABLE);
            RunReport report = runFailing("endpoint = \"" + receiver.endpoint() + "\"\nretries = 2",
                    Duration.ofSeconds(30));

            // three attempts for the snapshot, three for the run metrics
            assertThat(receiver.received()).hasSize(6);
            assertThat(report.sinks().get(0).detail()).isEqualTo("otlp http/protobuf " + receiver.endpoint()
                    + "/v1/metrics: HTTP 503 Service Unavailable; run report not published: run metrics: "
                    + "HTTP 503 Service Unavailable");
            // the report was made between the two exports; OTel retries inside one export, which counts once
            assertThat(RunReports.sinkMetric(report, "lagsnap_sink_requests_total", "otlp")).isEqualTo(1.0);
            assertThat(RunReports.sinkMetric(report, "lagsnap_sink_failed_requests_total", "otlp")).isEqualTo(1.0);
        }
    }

    @Test
    void aGrpcEndpointAnsweringUnavailableIsRetriedThenReported() throws Exception {
        try (GrpcOtlpReceiver receiver = new GrpcOtlpReceiver()) {
            receiver.answer(OtlpReceiver.Answer.UNAVAILABLE);
            SinkOutcome outcome = runFailing("protocol = \"grpc\"\nendpoint = \"" + receiver.endpoint()
                    + "\"\nretries = 2", Duration.ofSeconds(30)).sinks().get(0);

            assertThat(receiver.received()).hasSize(6);
            assertThat(outcome.detail()).isEqualTo("otlp grpc " + receiver.endpoint()
                    + ": gRPC UNAVAILABLE collector overloaded; run report not published: run metrics: "
                    + "gRPC UNAVAILABLE collector overloaded");
        }
    }

    @Test
    void aHangingEndpointIsRetriedAfterTheReadTimeoutUntilTheExportTimeout() throws Exception {
        try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
            receiver.answer(OtlpReceiver.Answer.HANG);
            // OkHttp gives up on a silent server after its 10 s read timeout; OTel then retries within the
            // export's 12 s timeout, and that second attempt is cut off by it.
            SinkOutcome outcome = runFailing("endpoint = \"" + receiver.endpoint()
                    + "\"\ntimeout = \"12s\"\nretries = 1", Duration.ofSeconds(40)).sinks().get(0);

            // two attempts for the snapshot, two for the run metrics
            assertThat(receiver.received()).hasSize(4);
            assertThat(outcome.detail()).isEqualTo("otlp http/protobuf " + receiver.endpoint() + "/v1/metrics: "
                    + "java.io.InterruptedIOException: timeout; run report not published: run metrics: "
                    + "java.io.InterruptedIOException: timeout");
        }
    }

    @Test
    void theRunDeadlineCutsAnExportWhoseTimeoutIsLonger() throws Exception {
        try (HttpOtlpReceiver receiver = new HttpOtlpReceiver()) {
            receiver.answer(OtlpReceiver.Answer.HANG);
            SinkOutcome outcome = runFailing("endpoint = \"" + receiver.endpoint() + "\"\ntimeout = \"60s\"",
                    Duration.ofSeconds(6)).sinks().get(0);

            // The sink's own account, not the runner's "not finished before the run deadline"; no time was left to
            // export the run metrics.
            assertThat(outcome.detail()).isEqualTo("otlp http/protobuf " + receiver.endpoint() + "/v1/metrics: "
                    + "java.io.InterruptedIOException: timeout; run report not published: run metrics: "
                    + "run deadline reached before the export");
            assertThat(receiver.received()).hasSize(1);
        }
    }
}
