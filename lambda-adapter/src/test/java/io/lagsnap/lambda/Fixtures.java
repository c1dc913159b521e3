package io.lagsnap.lambda;

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

/** The known workload and config every Lambda test runs against. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** Topic l-orders, 2 partitions of 10 records; group l-app committed 4 and 7: lag 6 and 3. */
    static void scenario(KafkaBroker broker) {
        broker.scenario()
                .topic("l-orders", 2)
                .produce("l-orders", 0, 10, i -> 1_700_000_000_000L + i * 1000)
                .produce("l-orders", 1, 10, i -> 1_700_000_000_000L + i * 1000)
                .commit("l-app", Map.of(new TopicPartition("l-orders", 0), 4L, new TopicPartition("l-orders", 1), 7L));
    }

    /**
     * Cluster "local" (the broker, groups l-*) and cluster "unreachable" (nothing listens on port 1); one file sink
     * writing NDJSON rows to {@code rows}. Events pick a cluster with {"clusters": [...]}.
     */
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
                group_whitelist = ["^l-"]
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

    /** The NDJSON rows the file sink wrote, as "group topic-partition lag=N" lines. */
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
