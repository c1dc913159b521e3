package io.lagsnap.core.trends;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.report.RunReport;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.Exposition;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a real broker whose {@code [run] state} directory holds a corrupt trend object. The scripted history of
 * six groups across runs, with the state in a directory and beside an object store, is test-support's TrendScript,
 * played by the object-store module's TrendStateBesideObjectStoreTest.
 */
class TrendRunTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    /** One cluster "local" on the test broker, its groups by {@code groupWhitelist}, the state under dir/state. */
    private LagsnapConfig config(String groupWhitelist, String sinks) {
        return new ConfigLoader(Map.<String, String>of()::get).parse("""
                [run]
                state = "%s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["%s"]
                """.formatted(dir.resolve("state").toUri(), KAFKA.broker().bootstrapServers(), groupWhitelist)
                + sinks, "trend.toml");
    }

    /**
     * Shards run side by side: one state object written by all of them would keep only the newest snapshot's points
     * (a fold refuses an older one), so each shard keeps its own, holding exactly the groups it owns.
     */
    @Test
    void eachShardKeepsATrendStateOfItsOwnGroups() throws Exception {
        List<String> groups = List.of("tr-s-a", "tr-s-b", "tr-s-c", "tr-s-d", "tr-s-e", "tr-s-f");
        var scenario = KAFKA.broker().scenario().topic("tr-s", 1).produce("tr-s", 0, 5, i -> 1_700_000_000_000L);
        groups.forEach(g -> scenario.commit(g, "tr-s", 0, 1L));
        LagsnapConfig config = config("^tr-s-", "");

        for (Shard shard : List.of(new Shard(0, 2), new Shard(1, 2))) {
            RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(30)), shard);
            assertThat(report.exitCode()).as(report.toJson()).isZero();
            Path file = dir.resolve("state/cluster=local/trend-shard-" + shard.index() + "-of-2.json.gz");
            TrendState state = ((TrendCodec.Loaded) TrendCodec.decode(Files.readAllBytes(file), "local")).state();
            assertThat(state.series().keySet()).filteredOn(SeriesKey::isGroup).extracting(SeriesKey::group)
                    .containsExactlyElementsOf(groups.stream().filter(shard::owns).toList())
                    .isNotEmpty();
        }
        assertThat(dir.resolve("state/cluster=local/trend.json.gz")).doesNotExist();
    }

    @Test
    void aCorruptStateYieldsACleanNewOneAndTheRunSucceeds() throws Exception {
        KAFKA.broker().scenario().topic("tr-c", 1).produce("tr-c", 0, 5, i -> 1_700_000_000_000L)
                .commit("tr-corrupt", "tr-c", 0, 1L);
        Path file = dir.resolve("state/cluster=local/trend.json.gz");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not gzip at all");

        LagsnapConfig config = config("^tr-", """
                [[sinks]]
                type = "file"
                format = "prometheus"
                path = "%s"
                """.formatted(dir.resolve("lag.prom")));
        RunReport report = Runner.standard().run(config, Deadline.after(Duration.ofSeconds(30)), Shard.ALL);

        assertThat(report.exitCode()).as(report.toJson()).isZero();
        assertThat(Files.readAllLines(dir.resolve("lag.prom")))
                .contains("lagsnap_trend_state_resets_total{cluster_name=\"local\",reason=\"corrupt\"} 1.0");
        assertThat(TrendCodec.decode(Files.readAllBytes(file), "local")).isInstanceOf(TrendCodec.Loaded.class);
        assertThat(Exposition.find(dir.resolve("lag.prom"), "kafka_consumergroup_group_status", "tr-corrupt"))
                .isPresent();
    }
}
