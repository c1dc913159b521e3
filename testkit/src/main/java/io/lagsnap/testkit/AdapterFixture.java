package io.lagsnap.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The known workload and config the function adapters' tests (Lambda, Cloud Functions) run against, under each
 * adapter's own name prefix: topic PREFIX-orders with 2 partitions of 10 records, and group PREFIX-app committed
 * at the two given offsets.
 */
public final class AdapterFixture {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix;
    private final long committed0;
    private final long committed1;

    /** @param prefix e.g. "l": topic l-orders, group l-app */
    public AdapterFixture(String prefix, long committed0, long committed1) {
        this.prefix = prefix;
        this.committed0 = committed0;
        this.committed1 = committed1;
    }

    public void scenario(KafkaBroker broker) {
        String topic = prefix + "-orders";
        broker.scenario()
                .topic(topic, 2)
                .produce(topic, 0, 10, i -> 1_700_000_000_000L + i * 1000)
                .produce(topic, 1, 10, i -> 1_700_000_000_000L + i * 1000)
                .commit(prefix + "-app", Map.of(new TopicPartition(topic, 0), committed0,
                        new TopicPartition(topic, 1), committed1));
    }

    /**
     * Cluster "local" (the broker, groups PREFIX-*) and cluster "unreachable" (nothing listens on port 1); one file
     * sink writing NDJSON rows to {@code rows}. Events pick a cluster with {"clusters": [...]}.
     */
    public String config(String bootstrap, Path rows) {
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
                group_whitelist = ["^%s-"]
                [[clusters]]
                name = "unreachable"
                bootstrap_servers = "127.0.0.1:1"
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                format = "json"
                """.formatted(bootstrap, prefix, rows.toString().replace("\\", "\\\\"));
    }

    /** The NDJSON rows the file sink wrote, as "cluster group topic-partition lag=N" lines. */
    public static List<String> lagLines(Path rows) {
        try {
            return Files.readAllLines(rows).stream().map(AdapterFixture::tree)
                    .map(r -> r.get("cluster").asText() + " " + r.get("group").asText() + " " + r.get("topic").asText()
                            + "-" + r.get("partition").asInt() + " lag=" + r.get("lag").asLong())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
