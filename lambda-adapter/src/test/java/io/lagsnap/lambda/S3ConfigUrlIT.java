package io.lagsnap.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.lambda.RuntimeApiStandIn.Outcome;
import io.lagsnap.testkit.AdapterFixture;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.S3ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * LAGSNAP_CONFIG_URL=s3://... in the packaged function: the config is read by the AWS SDK with the function's own
 * environment (credentials, region, and the SDK's standard endpoint variable pointing at s3proxy).
 */
class S3ConfigUrlIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    @Test
    void configIsReadFromS3AndTheSnapshotDelivered() throws Exception {
        Fixtures.LAMBDA.scenario(KAFKA.broker());
        Path rows = dir.resolve("rows.ndjson");
        try (S3ProxyServer s3 = S3ProxyServer.start(); S3Client client = s3.client();
             RuntimeApiStandIn api = new RuntimeApiStandIn()) {
            client.createBucket(b -> b.bucket("lagsnap-config"));
            client.putObject(p -> p.bucket("lagsnap-config").key("prod/lagsnap.toml"),
                    RequestBody.fromString(Fixtures.LAMBDA.config(KAFKA.broker().bootstrapServers(), rows)));
            try (LambdaProcess function = LambdaProcess.start(dir, api, Map.of(
                    "LAGSNAP_CONFIG_URL", "s3://lagsnap-config/prod/lagsnap.toml",
                    "AWS_ENDPOINT_URL_S3", s3.endpoint().toString(),
                    "AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY))) {

                Outcome outcome = function.await(api.invoke("{\"clusters\": [\"local\"]}", Duration.ofSeconds(60)));

                assertThat(outcome.error()).as(outcome.body()).isFalse();
                assertThat(AdapterFixture.tree(outcome.body()).get("exit_code").asInt()).isZero();
                assertThat(AdapterFixture.lagLines(rows))
                        .containsExactly("local l-app l-orders-0 lag=6", "local l-app l-orders-1 lag=3");
            }
        }
    }
}
