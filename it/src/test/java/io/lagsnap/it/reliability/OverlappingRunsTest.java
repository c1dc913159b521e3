package io.lagsnap.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.testkit.CliProcess;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.Scenario;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An overlapping schedule: two CLI runs at once, each with two file sinks, all four writing the same path (a
 * CronJob without concurrencyPolicy: Forbid, or a slow run meeting the next). A reader polls the file the whole
 * time: every version it sees must be one complete snapshot, never a mix or a truncated write.
 */
class OverlappingRunsTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    private static final int GROUPS = 500;
    private static final int PARTITIONS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void fourWritersOfOnePathOnlyEverLeaveOneCompleteSnapshotThere() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        Scenario scenario = broker.scenario().topic("ov-t", PARTITIONS);
        Map<String, Map<TopicPartition, Long>> groups = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            scenario.produce("ov-t", p, 20, i -> 1_000L + i);
        }
        for (int g = 0; g < GROUPS; g++) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                offsets.put(new TopicPartition("ov-t", p), (long) (g % 20));
            }
            groups.put("ov-g" + g, offsets);
        }
        scenario.commitGroups(groups);

        Path target = dir.resolve("out").resolve("rows.ndjson");
        Path config = dir.resolve("config.toml");
        StringBuilder toml = new StringBuilder("""
                [exporter]
                granularity = "partition"
                [[clusters]]
                name = "overlap"
                bootstrap_servers = "%s"
                """.formatted(broker.bootstrapServers()));
        for (String name : List.of("first", "second")) {
            toml.append("[[sinks]]\ntype = \"file\"\nname = \"").append(name).append("\"\npath = \"").append(target)
                    .append("\"\n");
        }
        Files.writeString(config, toml);

        CliProcess a = CliProcess.start("a", config, Map.of(), dir, List.of());
        CliProcess b = CliProcess.start("b", config, Map.of(), dir, List.of());
        Reader reader = new Reader(target);
        reader.start();
        CliProcess.Result ra = a.await(Duration.ofSeconds(60));
        CliProcess.Result rb = b.await(Duration.ofSeconds(60));
        reader.stopAndJoin();

        assertThat(ra.exitCode()).as(ra.stderr()).isZero();
        assertThat(rb.exitCode()).as(rb.stderr()).isZero();
        assertThat(reader.failure).isNull();
        assertThat(reader.completeReads).isPositive();
        assertThat(snapshotTimeOf(Files.readString(target))).isNotNull();
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertThat(left).containsExactly(target);
        }
    }

    /** The one snapshot_time of a complete file (every row, each a JSON object); throws on anything else. */
    private static String snapshotTimeOf(String text) throws IOException {
        if (!text.endsWith("\n")) {
            throw new AssertionError("truncated: does not end with a newline");
        }
        List<String> lines = text.lines().toList();
        if (lines.size() != GROUPS * PARTITIONS) {
            throw new AssertionError(lines.size() + " rows instead of " + GROUPS * PARTITIONS);
        }
        Set<String> times = new HashSet<>();
        for (String line : lines) {
            JsonNode row = JSON.readTree(line);
            times.add(row.get("snapshot_time").asText());
        }
        if (times.size() != 1) {
            throw new AssertionError("rows of " + times.size() + " snapshots mixed: " + times);
        }
        return times.iterator().next();
    }

    /** Reads the target file as fast as it can until stopped, checking each version it sees. */
    private static final class Reader extends Thread {
        private final Path target;
        private volatile boolean stop;
        volatile int completeReads;
        volatile Throwable failure;

        Reader(Path target) {
            this.target = target;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop && failure == null) {
                try {
                    snapshotTimeOf(new String(Files.readAllBytes(target), StandardCharsets.UTF_8));
                    completeReads++;
                } catch (NoSuchFileException e) {
                    // no run has delivered yet
                } catch (Throwable e) {
                    failure = e;
                }
            }
        }

        void stopAndJoin() throws InterruptedException {
            stop = true;
            join();
        }
    }
}
