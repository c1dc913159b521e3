package io.lagsnap.sink.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.trends.SeriesKey;
import io.lagsnap.core.trends.TrendCodec;
import io.lagsnap.core.trends.TrendPoint;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.Exposition;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.S3ProxyServer;
import io.lagsnap.testkit.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scripted history of core's TrendRunTest (a group catching up, a stalled one) run twice per step on one
 * broker: once with {@code [run] state} in a directory, once with an object_store sink on s3proxy and no
 * {@code [run] state}. Both give the same statuses, and rates and ETA within 5 % of what the script determines.
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

    /** How a run keeps its state: in a directory, or beside the object store's history. */
    private enum Keeping { FILE, OBJECT_STORE }

    private Path exposition(Keeping keeping) {
        return dir.resolve(keeping + ".prom");
    }

    private RunReport run(Keeping keeping) {
        String state = keeping == Keeping.FILE ? "[run]\nstate = \"" + dir.resolve("state").toUri() + "\"\n" : "";
        String objectStore = keeping == Keeping.FILE ? "" : """
                [[sinks]]
                type = "object_store"
                url = "s3://%s/lagsnap"
                latest = true
                region = "us-east-1"
                endpoint = "%s"
                path_style = true
                """.formatted(BUCKET, proxy.endpoint());
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(state + """
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^os-"]
                [[sinks]]
                type = "file"
                format = "prometheus"
                path = "%s"
                """.formatted(KAFKA.broker().bootstrapServers(), exposition(keeping)) + objectStore, "trend.toml");
        return Runner.standard().run(config, Deadline.after(Duration.ofSeconds(30)), Shard.ALL);
    }

    private Double value(Keeping keeping, String family, String group) throws Exception {
        return Exposition.find(exposition(keeping), family, group).map(Exposition.Sample::value).orElse(null);
    }

    private String status(Keeping keeping, String group) throws Exception {
        return Exposition.find(exposition(keeping), "kafka_consumergroup_group_status", group)
                .map(s -> s.label("status")).orElse(null);
    }

    private List<Instant> pointTimes(Keeping keeping, String group) throws Exception {
        byte[] bytes = keeping == Keeping.FILE
                ? Files.readAllBytes(dir.resolve("state/cluster=local/trend.json.gz"))
                : admin.getObjectAsBytes(b -> b.bucket(BUCKET).key("lagsnap/cluster=local/trend.json.gz"))
                        .asByteArray();
        return ((TrendCodec.Loaded) TrendCodec.decode(bytes, "local")).state().series()
                .get(SeriesKey.ofGroup(group)).points().stream().map(TrendPoint::time).toList();
    }

    @Test
    void anObjectStoreWithoutStateGivesTheSameTrendsAsAStateDirectory() throws Exception {
        Scenario s = KAFKA.broker().scenario();
        s.topic("os-t", 1).produce("os-t", 0, 100, i -> 1_700_000_000_000L + i)
                .commit("os-catching", "os-t", 0, 0L).commit("os-stalled", "os-t", 0, 10L);
        for (Keeping keeping : Keeping.values()) {
            RunReport first = run(keeping);
            assertThat(first.exitCode()).as(keeping + ": " + first.toJson()).isZero();
            assertThat(value(keeping, "kafka_consumergroup_group_consume_rate", "os-catching")).isNull();
        }
        assertThat(status(Keeping.OBJECT_STORE, "os-catching")).isNotNull()
                .isEqualTo(status(Keeping.FILE, "os-catching"));

        Thread.sleep(1_100);
        s.produce("os-t", 0, 20, i -> 1_700_000_100_000L + i).commit("os-catching", "os-t", 0, 60L);
        for (Keeping keeping : Keeping.values()) {
            RunReport second = run(keeping);
            assertThat(second.exitCode()).as(keeping + ": " + second.toJson()).isZero();
            List<Instant> times = pointTimes(keeping, "os-catching");
            assertThat(times).hasSize(2);
            double seconds = Duration.between(times.get(0), times.get(1)).toNanos() / 1e9;
            // committed 0 -> 60 and the log 100 -> 120 in that time; lag 60 left, gaining 40 per interval
            assertThat(value(keeping, "kafka_consumergroup_group_consume_rate", "os-catching")).as(keeping.name())
                    .isCloseTo(60 / seconds, within(60 / seconds * 0.05));
            assertThat(value(keeping, "kafka_consumergroup_group_produce_rate", "os-catching")).as(keeping.name())
                    .isCloseTo(20 / seconds, within(20 / seconds * 0.05));
            assertThat(value(keeping, "kafka_consumergroup_group_catchup_eta_seconds", "os-catching"))
                    .as(keeping.name()).isCloseTo(60 / (40 / seconds), within(60 / (40 / seconds) * 0.05));
            assertThat(value(keeping, "kafka_consumergroup_group_consume_rate", "os-stalled")).isZero();
            assertThat(value(keeping, "lagsnap_trend_state_resets_total", null)).as(keeping.name()).isNull();
        }
        for (String group : List.of("os-catching", "os-stalled")) {
            assertThat(status(Keeping.OBJECT_STORE, group)).as(group).isEqualTo(status(Keeping.FILE, group));
        }
        assertThat(status(Keeping.OBJECT_STORE, "os-catching")).isEqualTo("OK");
        assertThat(status(Keeping.OBJECT_STORE, "os-stalled")).isEqualTo("STALL");
    }
}
