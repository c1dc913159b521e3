package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.testkit.CliProcess;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
        // the second cluster accepts connections and never answers: without the signal the run would wait 40 s
        try (ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Files.writeString(config, """
                    [exporter]
                    granularity = "partition"
                    [exporter.performance]
                    kafka_timeout = "40s"
                    connect_timeout = "40s"
                    [run]
                    deadline = "60s"
                    [[clusters]]
                    name = "local"
                    bootstrap_servers = "%s"
                    group_whitelist = ["^term-"]
                    [[clusters]]
                    name = "hanging"
                    bootstrap_servers = "127.0.0.1:%d"
                    [[sinks]]
                    type = "file"
                    path = "%s"
                    format = "prometheus"
                    """.formatted(broker.bootstrapServers(), hanging.getLocalPort(), out));
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

    /**
     * SIGTERM while a sink hangs on an endpoint that accepts and never answers: the sink is cut off after the
     * documented grace, the report is written and says exit code 1, and the process returns 1 long before the 60 s
     * run deadline (before the fix it waited for the deadline, which Kubernetes would not, and the report said 0).
     */
    @Test
    void sigtermDuringAHangingDeliveryCutsTheSinkWritesTheReportAndExitsOne() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("hang-t", 1).produce("hang-t", 0, 10, i -> 1_000L).commit("hang-g", "hang-t", 0, 2L);
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!hanging.isClosed()) {
                    try {
                        held.add(hanging.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Path out = dir.resolve("lag.ndjson");
            Path config = dir.resolve("config.toml");
            Files.writeString(config, """
                    [run]
                    deadline = "60s"
                    [[clusters]]
                    name = "local"
                    bootstrap_servers = "%s"
                    group_whitelist = ["^hang-"]
                    [[sinks]]
                    type = "file"
                    path = "%s"
                    [[sinks]]
                    type = "pushgateway"
                    url = "http://127.0.0.1:%d"
                    timeout = "55s"
                    retries = 0
                    """.formatted(broker.bootstrapServers(), out, hanging.getLocalPort()));
            CliProcess lagsnap = CliProcess.start("hang", config, Map.of(), dir, List.of());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (held.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(held).as("the pushgateway sink connected").isNotEmpty();
            lagsnap.terminate();

            // Kubernetes sends SIGKILL 30 s after SIGTERM; the 55 s push timeout would outlast it
            CliProcess.Result result = lagsnap.await(Duration.ofSeconds(25));
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
            String report = result.stderr().lines().filter(l -> l.startsWith("{\"run_id\"")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no report:\n" + result.stderr()));
            assertThat(report).contains("\"exit_code\":1",
                    "cut off " + 5 + " s after the stop signal (SIGTERM)");
            assertThat(Files.readString(out)).contains("hang-g");
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
