package io.lagsnap.sink.api.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Delivery;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Granularity;
import io.lagsnap.sink.api.model.GroupLag;
import io.lagsnap.sink.api.model.GroupState;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.model.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worked example: a sink written against the sink API alone, found by ServiceLoader like any other. */
class SummaryLineSinkTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void foundByTypeAndDeliversOneLinePerCluster() throws Exception {
        SinkProvider provider = ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals("summary-lines")).findFirst().orElseThrow();
        Path out = dir.resolve("summary.txt");
        SinkConfig config = new SinkConfig("summary-lines", "summary", "config.toml: sinks[0]",
                Map.of("path", out.toString()));

        Snapshot snapshot = new Snapshot("run1", NOW, Shard.ALL, List.of(
                ClusterSnapshot.builder("prod").granularity(Granularity.TOPIC).time(NOW)
                        .groups(List.of(new GroupLag("orders", GroupType.CONSUMER, GroupState.STABLE, 42L, 50L, 3.5),
                                new GroupLag("billing", GroupType.CLASSIC, GroupState.EMPTY, 7L, 7L, null)))
                        .duration(Duration.ofMillis(5)).adminRequests(6).build(),
                ClusterSnapshot.builder("dr").time(NOW).up(false).error("unreachable").build()));
        try (Sink sink = provider.create(config, new SinkContext(List.of(), k -> null, Shard.ALL))) {
            Delivery d = sink.deliver(snapshot, Deadline.after(Duration.ofSeconds(5)));
            assertThat(d).isEqualTo(Delivery.ok("wrote 2 lines to " + out));
        }
        assertThat(Files.readAllLines(out))
                .containsExactly("prod up 2 groups, max lag 42", "dr down 0 groups, max lag 0");
    }

    @Test
    void aMisspeltKeyIsRecordedAndTheCheckAfterCreateThrowsItWithAHint() throws Exception {
        SinkConfig config = new SinkConfig("summary-lines", "summary", "config.toml: sinks[0]",
                Map.of("path", dir.resolve("summary.txt").toString(), "paht", "x"));
        new SummaryLineSinkProvider().create(config, new SinkContext(List.of(), k -> null, Shard.ALL)).close();
        assertThatThrownBy(config::check)
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.toml: sinks[0].paht: unknown key \"paht\" (did you mean \"path\"?)");
    }

    @Test
    void aMissingRequiredKeyStopsCreate() {
        SinkConfig config = new SinkConfig("summary-lines", "summary", "config.toml: sinks[0]", Map.of());
        assertThatThrownBy(() -> new SummaryLineSinkProvider().create(config,
                new SinkContext(List.of(), k -> null, Shard.ALL)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.toml: sinks[0].path: required for sink type \"summary-lines\"");
    }
}
