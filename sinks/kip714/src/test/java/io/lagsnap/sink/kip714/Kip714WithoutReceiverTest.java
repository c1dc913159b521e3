package io.lagsnap.sink.kip714;

import static io.lagsnap.sink.kip714.TestRuns.closedPort;
import static io.lagsnap.sink.kip714.TestRuns.collect;
import static io.lagsnap.sink.kip714.TestRuns.config;
import static io.lagsnap.sink.kip714.TestRuns.deliver;
import static io.lagsnap.sink.kip714.TestRuns.down;
import static io.lagsnap.sink.kip714.TestRuns.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stock broker, without a client-telemetry receiver plugin, and a cluster that cannot be reached. */
class Kip714WithoutReceiverTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @Test
    void aBrokerWithoutTheTelemetryApisIsReportedAsSuchAndTheExitCodeSaysNothingWasDelivered() throws Exception {
        // the subscription alone is not enough: the broker only serves telemetry with a receiver plugin
        subscribe(KAFKA.broker().admin(), "lagsnap", "org.apache.kafka.lagsnap.", 500, "client_id=lagsnap");
        LagsnapConfig config = config(KAFKA.broker().bootstrapServers(), "topic", "subscription_timeout = \"1s\"");

        RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(30)), Shard.ALL);

        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_NOTHING_DELIVERED);
        assertThat(report.sinks()).singleElement().satisfies(s -> {
            assertThat(s.delivered()).isFalse();
            assertThat(s.detail()).isEqualTo("the brokers advertise no client-telemetry APIs: no telemetry "
                    + "subscription within 1000 ms although the cluster answers (a broker needs a metric.reporters "
                    + "class implementing org.apache.kafka.server.telemetry.ClientTelemetryExporterProvider; stock "
                    + "brokers have none)");
        });
        assertThat(KAFKA.broker().requestCount("PushTelemetry")).isZero();
    }

    @Test
    void anUnreachableClusterIsReportedAsSuchWithinTheSubscriptionTimeout() throws Exception {
        LagsnapConfig config = config(closedPort(), "topic", "subscription_timeout = \"1s\"");

        Delivery delivery = deliver(config, down("local"), Duration.ofSeconds(30));

        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).startsWith("the cluster did not answer within 1000 ms: TimeoutException: ");
    }

    @Test
    void theRunDeadlineBoundsTheWaitForASubscription() throws Exception {
        LagsnapConfig config = config(KAFKA.broker().bootstrapServers(), "topic", "subscription_timeout = \"60s\"");

        Delivery delivery = deliver(config, collect(config), Duration.ofSeconds(3));

        // what is left of 3 s after the first round trip, less the 500 ms kept back to close the client and report
        assertThat(delivery.delivered()).isFalse();
        assertThat(delivery.detail()).matches("no telemetry subscription within \\d+ ms, when the run's "
                + "deadline ended the wait \\(subscription_timeout is 60000 ms\\)");
    }
}
