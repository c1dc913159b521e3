package io.lagsnap.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.testkit.CliProcess;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import io.lagsnap.testkit.Scenario;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale a single CronJob run must handle: 10,000 groups committed on 10 partitions each (100,000 rows), timestamp
 * sampling on, per-partition metrics, collected by the CLI in a JVM capped at 512 MiB within the default 60 s run
 * deadline, every row exact.
 */
class TenThousandGroupsTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final int GROUPS = 10_000;
    private static final int TOPICS = 4;
    private static final int PARTITIONS = 25;
    private static final int RECORDS = 30;
    private static final int PARTITIONS_PER_GROUP = 10;

    @TempDir
    Path dir;

    /** Group g sits on topic g % 4, on ten consecutive partitions from k % 16, all at offset k % 20 (k = g / 4). */
    private static Map<TopicPartition, Long> positions(int g) {
        int k = g / TOPICS;
        int first = k % (PARTITIONS - PARTITIONS_PER_GROUP + 1);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (int p = first; p < first + PARTITIONS_PER_GROUP; p++) {
            offsets.put(new TopicPartition("load-" + g % TOPICS, p), offset(g));
        }
        return offsets;
    }

    private static long offset(int g) {
        return g / TOPICS % 20;
    }

    @Test
    void tenThousandGroupsOnAHundredThousandPartitionsFitIn512MegabytesAndTheDeadline() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Scenario scenario = broker.scenario();
        long written = System.currentTimeMillis() - 3_600_000;
        for (int t = 0; t < TOPICS; t++) {
            scenario.topic("load-" + t, PARTITIONS);
            for (int p = 0; p < PARTITIONS; p++) {
                scenario.produce("load-" + t, p, RECORDS, i -> written + i);
            }
        }
        Map<String, Map<TopicPartition, Long>> groups = new HashMap<>();
        long expectedLag = 0;
        Set<Map.Entry<TopicPartition, Long>> distinctPositions = new HashSet<>();
        for (int g = 0; g < GROUPS; g++) {
            groups.put("load-g" + g, positions(g));
            distinctPositions.addAll(positions(g).entrySet());
            expectedLag += PARTITIONS_PER_GROUP * (RECORDS - offset(g));
        }
        scenario.commitGroups(groups);

        Path rows = dir.resolve("rows.ndjson");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, """
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "load"
                bootstrap_servers = "%s"
                [[sinks]]
                type = "file"
                name = "rows"
                path = "%s"
                [[sinks]]
                type = "file"
                name = "metrics"
                format = "prometheus"
                path = "%s"
                """.formatted(broker.bootstrapServers(), rows, dir.resolve("metrics.prom")));

        CliProcess.Result run = CliProcess.start("load", config, Map.of(), dir,
                List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError")).await(Duration.ofSeconds(120));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.stderr().lines().filter(l -> l.startsWith("{\"run_id\""))
                .reduce((a, b) -> b).orElseThrow());
        JsonNode cluster = report.get("clusters").get(0);
        assertThat(cluster.get("groups").asInt()).isEqualTo(GROUPS);
        assertThat(cluster.get("rows").asInt()).isEqualTo(GROUPS * PARTITIONS_PER_GROUP);
        assertThat(cluster.get("partial").asBoolean()).isFalse();
        assertThat(cluster.get("errors")).isEmpty();
        // groups at the same offset of a partition share one sample
        assertThat(cluster.get("sampling").get("requested").asLong()).isEqualTo(distinctPositions.size());
        assertThat(cluster.get("sampling").get("sampled").asLong()).isEqualTo(distinctPositions.size());

        long lines = 0;
        long lag = 0;
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = Files.newBufferedReader(rows)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode row = json.readTree(line);
                lines++;
                lag += row.get("lag").asLong();
                assertThat(row.get("lag_seconds").isNull()).isFalse();
            }
        }
        assertThat(lines).isEqualTo((long) GROUPS * PARTITIONS_PER_GROUP);
        assertThat(lag).isEqualTo(expectedLag);
        System.out.printf("10,000 groups: run %d ms, collection %d ms (phases %s), sinks %s, %d MiB of rows%n",
                report.get("duration_ms").asLong(), cluster.get("duration_ms").asLong(), cluster.get("phases_ms"),
                report.get("sinks"), Files.size(rows) >> 20);
    }
}
