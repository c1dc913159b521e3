package io.lagsnap.sink.kip714;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.KafkaCluster;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.model.Shard;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sink's table is validated before anything connects, with messages that name the key. */
class Kip714SinkProviderTest {
    @Test
    void isFoundByTypeOnTheClassPath() {
        assertThat(SinkRegistry.load().types()).contains("kip714");
    }

    @Test
    void unknownKeysGetAHint() {
        assertThatThrownBy(() -> create("per_partitions = true"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.toml:11: sinks[0].per_partitions")
                .hasMessageContaining("per_partition");
    }

    @Test
    void anEmptyClientIdIsRejected() {
        assertThatThrownBy(() -> create("client_id = \"\""))
                .hasMessage("test.toml:11: sinks[0].client_id: must not be empty");
    }

    @Test
    void clustersMustNameConfiguredClusters() {
        assertThatThrownBy(() -> create("clusters = [\"prod\"]"))
                .hasMessage("test.toml:11: sinks[0].clusters: no cluster named \"prod\" (clusters: local)");
        assertThatThrownBy(() -> create("clusters = []"))
                .hasMessage("test.toml:11: sinks[0].clusters: must name at least one cluster");
        assertThatThrownBy(() -> create("clusters = \"prod\""))
                .hasMessage("test.toml:11: sinks[0].clusters: expected a list of strings, got \"prod\"");
    }

    @Test
    void theSubscriptionTimeoutMustBeADuration() {
        assertThatThrownBy(() -> create("subscription_timeout = \"soon\""))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml:11: sinks[0].subscription_timeout: ");
    }

    @Test
    void aValidTableBuildsTheSinkItDescribesWithoutConnecting() throws Exception {
        // nothing listens on port 1: creating the sink must not try, so it returns at once
        try (Kip714Sink sink = (Kip714Sink) create("""
                client_id = "lagsnap-prod"
                per_partition = true
                subscription_timeout = "2s"
                clusters = ["local"]
                """)) {
            assertThat(sink.clusters()).extracting(KafkaCluster::name, KafkaCluster::bootstrapServers)
                    .containsExactly(tuple("local", "127.0.0.1:1"));
            assertThat(sink.push().clientId()).isEqualTo("lagsnap-prod");
            assertThat(sink.push().perPartition()).isTrue();
            assertThat(sink.push().subscriptionTimeout()).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void theDefaultsPushEveryClusterAtGroupLevel() throws Exception {
        try (Kip714Sink sink = (Kip714Sink) create("")) {
            assertThat(sink.clusters()).extracting(KafkaCluster::name).containsExactly("local");
            assertThat(sink.push().clientId()).isEqualTo("lagsnap");
            assertThat(sink.push().perPartition()).isFalse();
            assertThat(sink.push().subscriptionTimeout()).isEqualTo(Duration.ofSeconds(5));
        }
    }

    private static io.lagsnap.sink.api.Sink create(String lines) {
        LagsnapConfig config = TestRuns.config("127.0.0.1:1", "topic", lines);
        var table = config.sinks().get(0);
        io.lagsnap.sink.api.Sink sink = new Kip714SinkProvider().create(table,
                new SinkContext(config.clusters().stream().map(ClusterConfig::kafkaCluster).toList(), k -> null,
                        Shard.ALL));
        table.check(); // as the registry does: the problems the getters recorded
        return sink;
    }
}
