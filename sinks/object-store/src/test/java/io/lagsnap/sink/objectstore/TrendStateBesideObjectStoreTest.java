package io.lagsnap.sink.objectstore;

import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.S3ProxyServer;
import io.lagsnap.testsupport.TrendScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Test support's {@link TrendScript} (six groups, one per status, across four runs) played on one broker with each run made
 * twice: once with {@code [run] state} in a directory, once with an object_store sink on s3proxy and no
 * {@code [run] state}. The script checks both against the same statuses, and rates and ETA from its offsets over
 * each state's own snapshot times.
 */
class TrendStateBesideObjectStoreTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();
    private static final String BUCKET = "lagsnap-trends";

    private static S3ProxyServer proxy;
    private static S3Client admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        proxy = S3ProxyServer.start();
        admin = proxy.client();
        admin.createBucket(b -> b.bucket(BUCKET));
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Test
    void anObjectStoreWithoutStateGivesTheSameTrendsAsAStateDirectory() throws Exception {
        Path state = dir.resolve("state");
        TrendScript.Keeping directory = new TrendScript.Keeping("file", "[run]\nstate = \"" + state.toUri() + "\"\n",
                () -> Files.readAllBytes(state.resolve("cluster=local/trend.json.gz")));
        TrendScript.Keeping besideObjectStore = new TrendScript.Keeping("object_store", """
                [[sinks]]
                type = "object_store"
                url = "s3://%s/lagsnap"
                latest = true
                region = "us-east-1"
                endpoint = "%s"
                path_style = true
                """.formatted(BUCKET, proxy.endpoint()),
                () -> admin.getObjectAsBytes(b -> b.bucket(BUCKET).key("lagsnap/cluster=local/trend.json.gz"))
                        .asByteArray());
        new TrendScript(KAFKA.broker(), dir).play(List.of(directory, besideObjectStore));
    }
}
