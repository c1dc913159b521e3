package io.lagsnap.cli;

import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.Scenario;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The README's demo: an embedded broker with a realistic workload, then one real {@code lagsnap} run that prints
 * the table and writes NDJSON and Prometheus text under ./demo-out.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "demo-out").toAbsolutePath();
        Files.createDirectories(out);
        int code;
        try (KafkaBroker broker = KafkaBroker.start()) {
            workload(broker.scenario(), System.currentTimeMillis());
            Path config = out.resolve("config.toml");
            Files.writeString(config, """
                    [exporter]
                    granularity = "partition"

                    [[clusters]]
                    name = "demo"
                    bootstrap_servers = "%s"
                    [clusters.labels]
                    environment = "demo"

                    [[sinks]]
                    type = "stdout"
                    format = "table"

                    [[sinks]]
                    type = "file"
                    name = "rows"
                    path = "%s"
                    format = "json"

                    [[sinks]]
                    type = "file"
                    name = "metrics"
                    path = "%s"
                    format = "prometheus"
                    """.formatted(broker.bootstrapServers(), out.resolve("lag.ndjson"), out.resolve("lag.prom")));
            code = LagsnapCli.execute(System::getenv, new PrintWriter(System.err, true),
                    "--config", config.toString());
            System.err.printf("%ndemo: wrote %s, %s and %s (exit code %d)%n", config, out.resolve("lag.ndjson"),
                    out.resolve("lag.prom"), code);
        }
        System.exit(code);
    }

    /** Each case the README's metric reference explains, with timestamps relative to now. */
    static void workload(Scenario s, long now) {
        long minute = 60_000L;
        // orders: a busy producer, one record per second over the last 5 minutes on each of 3 partitions
        s.topic("orders", 3);
        for (int p = 0; p < 3; p++) {
            s.produce("orders", p, 300, i -> now - 300_000L + i * 1000L);
        }
        // billing: an Empty group that stopped two minutes ago (lagging)
        s.commit("billing", Map.of(tp("orders", 0), 180L, tp("orders", 1), 170L, tp("orders", 2), 200L));
        // shipping: a live, caught-up group with a member
        s.commit("shipping", Map.of(tp("orders", 0), 300L, tp("orders", 1), 300L, tp("orders", 2), 299L));
        s.activeMember("shipping", "orders");
        // analytics-nightly: an Empty group with committed offsets far behind
        s.commit("analytics-nightly", Map.of(tp("orders", 0), 10L, tp("orders", 1), 20L, tp("orders", 2), 30L));
        // audit: an idle producer; the newest record is 10 minutes old and the auditor is stuck behind it
        s.topic("audit", 1).produce("audit", 0, 50, i -> now - 59 * minute + i * minute);
        s.commit("auditor", "audit", 0, 49L);
        // clickstream: retention deleted records the archiver never read (data loss)
        s.topic("clickstream", 2);
        s.produce("clickstream", 0, 500, i -> now - 120 * minute + i * 10_000L);
        s.produce("clickstream", 1, 500, i -> now - 120 * minute + i * 10_000L);
        s.deleteRecords("clickstream", 0, 200);
        s.commit("archiver", Map.of(tp("clickstream", 0), 150L, tp("clickstream", 1), 400L));
        // customers: a compacted topic
        s.compactedTopic("customers", 1).produceKeyed("customers", 0, 100, i -> "customer-" + (i % 20),
                i -> now - 30 * minute + i * 1000L);
        s.commit("customer-cache", "customers", 0, 60L);
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
