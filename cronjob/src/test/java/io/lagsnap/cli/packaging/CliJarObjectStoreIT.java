package io.lagsnap.cli.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.testkit.AdapterFixture;
import io.lagsnap.testkit.ExternalProcess;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.S3ProxyServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The CronJob's artifact, {@code target/lagsnap.jar}, run as Kubernetes runs it ({@code java -jar}, nothing else on
 * the class path), writes the snapshot to {@code s3://} through the object_store sink, against s3proxy (#15.4).
 */
class CliJarObjectStoreIT {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();
    private static final AdapterFixture WORKLOAD = new AdapterFixture("c", 5, 2);

    @TempDir
    Path dir;

    @Test
    void theCliJarWritesHistoryToS3() throws Exception {
        WORKLOAD.scenario(KAFKA.broker());
        try (S3ProxyServer s3 = S3ProxyServer.start(); S3Client client = s3.client()) {
            client.createBucket(b -> b.bucket("lagsnap-history"));
            Path config = Files.writeString(dir.resolve("lagsnap.toml"), """
                    [exporter]
                    granularity = "partition"
                    [[clusters]]
                    name = "local"
                    bootstrap_servers = "%s"
                    group_whitelist = ["^c-"]
                    [[sinks]]
                    type = "object_store"
                    name = "history"
                    url = "s3://lagsnap-history/prod"
                    endpoint = "%s"
                    region = "us-east-1"
                    path_style = true
                    """.formatted(KAFKA.broker().bootstrapServers(), s3.endpoint()));
            ProcessBuilder cli = new ProcessBuilder(ExternalProcess.java(), "-Xmx256m", "-jar",
                    System.getProperty("lagsnap.jar"), "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile());
            cli.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("CLASSPATH"));
            cli.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
            cli.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
            Process process = cli.start();

            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("cli.log"));
            assertThat(process.exitValue()).as(log).isZero();
            List<String> keys = client.listObjectsV2(r -> r.bucket("lagsnap-history").prefix("prod/")).contents()
                    .stream().map(S3Object::key).toList();
            String rowsKey = keys.stream().filter(k -> k.endsWith(".ndjson.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no rows object in " + keys + "; log:\n" + log));
            assertThat(rowsKey).startsWith("prod/cluster=local/dt=");
            Path rows = dir.resolve("rows.ndjson");
            try (InputStream gz = new GZIPInputStream(client.getObject(
                    r -> r.bucket("lagsnap-history").key(rowsKey), ResponseTransformer.toInputStream()))) {
                Files.write(rows, gz.readAllBytes());
            }
            assertThat(AdapterFixture.lagLines(rows)).containsExactly("local c-app c-orders-0 lag=5",
                    "local c-app c-orders-1 lag=8");
        }
    }

    /** Both clouds' SDKs and both cloud login handlers are in the CLI jar; the jar is what the image runs. */
    @Test
    void theCliJarCarriesBothCloudSdksAndLoginHandlers() throws Exception {
        try (JarFile jar = new JarFile(System.getProperty("lagsnap.jar"))) {
            assertThat(List.of(
                    "software/amazon/awssdk/services/s3/S3Client.class",
                    "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
                    "com/google/cloud/storage/Storage.class",
                    "software/amazon/msk/auth/iam/IAMLoginModule.class",
                    "com/google/cloud/hosted/kafka/auth/GcpLoginCallbackHandler.class"))
                    .allSatisfy(entry -> assertThat(jar.getEntry(entry)).as(entry).isNotNull());
        }
    }
}
