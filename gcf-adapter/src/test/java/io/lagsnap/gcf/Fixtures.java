package io.lagsnap.gcf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** The known workload and config the function tests run against. */
final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** Topic g-orders, 2 partitions of 10 records; group g-app committed 2 and 9: lag 8 and 1. */
    static void scenario(KafkaBroker broker) {
        broker.scenario()
                .topic("g-orders", 2)
                .produce("g-orders", 0, 10, i -> 1_700_000_000_000L + i * 1000)
                .produce("g-orders", 1, 10, i -> 1_700_000_000_000L + i * 1000)
                .commit("g-app", Map.of(new TopicPartition("g-orders", 0), 2L, new TopicPartition("g-orders", 1), 9L));
    }

    /** Cluster "local" (groups g-*), cluster "unreachable" (port 1), and a file sink of NDJSON rows. */
    static String config(String bootstrap, Path rows) {
        return """
                [exporter]
                granularity = "partition"
                [exporter.performance]
                kafka_timeout = "3s"
                [run]
                deadline = "20s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^g-"]
                [[clusters]]
                name = "unreachable"
                bootstrap_servers = "127.0.0.1:1"
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                format = "json"
                """.formatted(bootstrap, rows.toString().replace("\\", "\\\\"));
    }

    /** The rows the file sink wrote, as "cluster group topic-partition lag=N" lines. */
    static List<String> lagLines(Path rows) {
        try {
            return Files.readAllLines(rows).stream().map(Fixtures::tree)
                    .map(r -> r.get("cluster").asText() + " " + r.get("group").asText() + " " + r.get("topic").asText()
                            + "-" + r.get("partition").asInt() + " lag=" + r.get("lag").asLong())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
