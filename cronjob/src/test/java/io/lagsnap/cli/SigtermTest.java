package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a real CLI process: what was collected is delivered, then it exits 1. */
class SigtermTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    @Test
    void sigtermDeliversWhatWasCollectedThenExitsOne() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("term-t", 1).produce("term-t", 0, 10, i -> 1_000L).commit("term-g", "term-t", 0, 2L);
        Path out = dir.resolve("lag.prom");
        Path config = dir.resolve("config.toml");
        // the second cluster never answers: without the signal the run would wait 40 s for it
        Files.writeString(config, """
                [exporter]
                granularity = "partition"
                [exporter.performance]
                kafka_timeout = "40s"
                [run]
                deadline = "60s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^term-"]
                [[clusters]]
                name = "hanging"
                bootstrap_servers = "127.0.0.1:1"
                [[sinks]]
                type = "file"
                path = "%s"
                format = "prometheus"
                """.formatted(broker.bootstrapServers(), out));
        CliProcess lagsnap = CliProcess.start("term", config, Map.of(), dir, List.of());
        // wait until the reachable cluster is collected, then stop the process as Kubernetes does
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!lagsnap.stderrSoFar().contains("cluster local:") && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        lagsnap.terminate();

        CliProcess.Result result = lagsnap.await(Duration.ofSeconds(30));
        assertThat(result.exitCode()).isEqualTo(1);
        List<String> metrics = Files.readAllLines(out);
        assertThat(metrics).contains("kafka_lag_exporter_up{cluster_name=\"local\"} 1.0",
                "kafka_lag_exporter_up{cluster_name=\"hanging\"} 0.0",
                "kafka_consumergroup_group_sum_lag{cluster_name=\"local\",group=\"term-g\"} 8.0");
        assertThat(result.stderr())
                .contains("collection did not finish before the run deadline or stop signal");
    }
}
