package io.lagsnap.core.sink.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.metrics.MetricFamilies;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink's attributes, symlinks and the all-clusters-down case (issue 19, items 10 and 11). */
class FileSinkTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static Sink sink(Object... keyValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put((String) keyValues[i], keyValues[i + 1]);
        }
        SinkConfig table = new SinkConfig("file", "file", "test.toml: sinks[0]", options);
        Sink sink = new FileSinkProvider().create(table, new SinkContext(List.of(), k -> null, Shard.ALL));
        table.check(); // as the registry does: the problems the getters recorded
        return sink;
    }

    private static Snapshot snapshot(boolean up) {
        ClusterSnapshot cluster = up
                ? ClusterSnapshot.builder("prod").granularity(Granularity.TOPIC).time(NOW)
                        .duration(Duration.ofMillis(5)).adminRequests(1).build()
                : ClusterSnapshot.builder("prod").time(NOW).up(false).error("connection refused").build();
        return MetricFamilies.derive(new Snapshot("run1", NOW, Shard.ALL, List.of(cluster)));
    }

    private static Delivery deliver(Sink sink, Snapshot snapshot) throws Exception {
        try (sink) {
            Delivery d = sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(10)));
            sink.deliverReport("run1", List.of(), Deadline.after(Duration.ofSeconds(10)));
            return d;
        }
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aReplacedFileKeepsItsModeInsteadOfBeingForcedTo0644() throws Exception {
        Path out = dir.resolve("lag.prom");
        Files.writeString(out, "old\n");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
        assertThat(deliver(sink("path", out.toString(), "format", "prometheus"), snapshot(true)).delivered()).isTrue();
        assertThat(mode(out)).isEqualTo("rw-------");
        assertThat(Files.readString(out)).contains("kafka_lag_exporter_up");
    }

    @Test
    void aNewFileTakesTheConfiguredMode() throws Exception {
        Path out = dir.resolve("new.prom");
        deliver(sink("path", out.toString(), "format", "prometheus", "mode", "0640"), snapshot(true));
        assertThat(mode(out)).isEqualTo("rw-r-----");
        assertThatThrownBy(() -> sink("path", out.toString(), "mode", "0755"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.toml: sinks[0].mode: \"0755\" is not an octal file mode such as \"0640\" "
                        + "(read/write bits only)");
    }

    @Test
    void aNewFileWithoutAModeGetsWhatTheUmaskGivesAnyNewFile() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path out = dir.resolve("umask.ndjson");
        deliver(sink("path", out.toString()), snapshot(true));
        assertThat(mode(out)).isEqualTo(mode(plain));
    }

    @Test
    void aSymlinkIsWrittenThroughAndStaysALink() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real")).resolve("lag.prom");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.prom"), real);
        deliver(sink("path", link.toString(), "format", "prometheus"), snapshot(true));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).contains("kafka_lag_exporter_up");
        try (var files = Files.list(real.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("lag.prom");
        }
    }

    @Test
    void aRunThatCollectedNoClusterKeepsThePreviousNdjsonAndFails() throws Exception {
        Path out = dir.resolve("rows.ndjson");
        Files.writeString(out, "{\"group\":\"last-good\"}\n");
        Delivery d = deliver(sink("path", out.toString()), snapshot(false));
        assertThat(d.delivered()).isFalse();
        assertThat(d.detail()).isEqualTo("no cluster was collected: kept the previous " + out
                + " rather than write an empty one");
        assertThat(Files.readString(out)).isEqualTo("{\"group\":\"last-good\"}\n");
    }
}
