package io.lagsnap.sink.pushgateway;

import static io.lagsnap.sink.pushgateway.PushgatewaySinkTest.cluster;
import static io.lagsnap.sink.pushgateway.PushgatewaySinkTest.pushgatewaySink;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.report.SinkOutcome;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.ExternalProcess;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testsupport.RunReports;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Pushgateway that is down, failing or hanging: the push is retried with backoff inside the run deadline, then
 * reported failed, while the file sink of the same run still delivers and the run exits 1. The run group's push
 * (the run report) goes the same way and is reported after the snapshot's failure.
 */
class PushgatewayFailureTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    @BeforeAll
    static void workload() {
        KAFKA.broker().scenario().topic("pf-t", 1).produce("pf-t", 0, 3, i -> 1_000L).commit("pf-g", "pf-t", 0, 1L);
    }

    /** Runs with the given pushgateway sink table and a file sink; checks what every failure has in common. */
    private RunReport runFailing(String pushgatewaySink, Duration deadline) throws Exception {
        Path file = dir.resolve("out.json");
        String toml = cluster("local", KAFKA.broker().bootstrapServers(), "^pf-") + pushgatewaySink
                + "[[sinks]]\ntype = \"file\"\npath = \"" + file + "\"\n";
        RunReport report = Runner.standard().run(new ConfigLoader(Map.<String, String>of()::get)
                .parse(toml, "test.toml"), Deadline.after(deadline), Shard.ALL);

        RunReports.assertFailedBesideAWorkingFileSink(report, "pushgateway", file, "pf-g");
        return report;
    }

    @Test
    void aGatewayThatIsDownIsRetriedThenReported() throws Exception {
        int closedPort = ExternalProcess.freePort();
        String url = "http://127.0.0.1:" + closedPort;

        SinkOutcome outcome = runFailing(pushgatewaySink(url, "retries = 2"), Duration.ofSeconds(20)).sinks().get(0);

        String refused = "attempt 3 of 3: Failed to push metrics to the Prometheus Pushgateway on " + url
                + ": Connection refused";
        assertThat(outcome.detail()).isEqualTo("pushgateway " + url + " job lagsnap: local: " + refused
                + "; run report not published: run group: " + refused);
    }

    @Test
    void aGatewayAnswering503IsRetriedThenReported() throws Exception {
        // The real Pushgateway has no way to be made to answer 5xx; this stand-in plays an overloaded one.
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = "overloaded".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();

            RunReport report = runFailing(pushgatewaySink(url, "retries = 2"), Duration.ofSeconds(20));

            // three attempts for the cluster's group, three for the run group
            assertThat(requests).hasValue(6);
            String failed = "attempt 3 of 3: Failed to push metrics to the Prometheus Pushgateway on " + url
                    + ": Response code from " + url + "/metrics/job/lagsnap";
            assertThat(report.sinks().get(0).detail()).isEqualTo("pushgateway " + url + " job lagsnap: local: "
                    + failed + "/cluster_name/local was 503, response body: overloaded"
                    + "; run report not published: run group: " + failed
                    + " was 503, response body: overloaded");
            // the report was made between the two: it counts the cluster group's attempts
            assertThat(RunReports.sinkMetric(report, "lagsnap_sink_requests_total", "pushgateway")).isEqualTo(3.0);
            assertThat(RunReports.sinkMetric(report, "lagsnap_sink_failed_requests_total", "pushgateway"))
                    .isEqualTo(3.0);
            assertThat(RunReports.sinkMetric(report, "lagsnap_sink_retries_total", "pushgateway")).isEqualTo(2.0);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aHangingGatewayTimesOutPerAttemptAndIsRetried() throws Exception {
        try (HangingEndpoint hanging = new HangingEndpoint()) {
            SinkOutcome outcome = runFailing(pushgatewaySink(hanging.url(), "timeout = \"1s\"\nretries = 1"),
                    Duration.ofSeconds(20)).sinks().get(0);

            // two attempts for the cluster's group, two for the run group
            assertThat(hanging.connections()).isEqualTo(4);
            String timedOut = "attempt 2 of 2: Failed to push metrics to the Prometheus Pushgateway on "
                    + hanging.url() + ": Read timed out";
            assertThat(outcome.detail()).isEqualTo("pushgateway " + hanging.url() + " job lagsnap: local: "
                    + timedOut + "; run report not published: run group: " + timedOut);
        }
    }

    @Test
    void retriesStopAtTheRunDeadlineAndTheSinkReportsItself() throws Exception {
        try (HangingEndpoint hanging = new HangingEndpoint()) {
            SinkOutcome outcome = runFailing(pushgatewaySink(hanging.url(), "timeout = \"2s\"\nretries = 50"),
                    Duration.ofSeconds(8)).sinks().get(0);

            // Its own account, not the runner's "not finished before the run deadline": the sink gave up in time.
            assertThat(outcome.detail()).startsWith("pushgateway " + hanging.url() + " job lagsnap: local: ")
                    .containsAnyOf("(no time left to retry before the run deadline)",
                            "run deadline reached before attempt ");
            assertThat(hanging.connections()).isBetween(2, 4);
        }
    }
}
