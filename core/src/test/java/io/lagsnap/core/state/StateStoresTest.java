package io.lagsnap.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.Sink;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.SinkProvider;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.state.StateLocation;
import io.lagsnap.sink.api.state.StateStore;
import io.lagsnap.sink.api.state.StateStoreProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoresTest {
    /** A sink that keeps objects at its {@code url}, as object_store does. */
    private static final SinkRegistry SINKS = SinkRegistry.of(List.of(new Keeper()));

    @TempDir
    Path dir;

    private static LagsnapConfig config(String run, String... urls) {
        StringBuilder toml = new StringBuilder(run + "\n[[clusters]]\nname = \"c\"\nbootstrap_servers = \"k:9092\"\n");
        for (int i = 0; i < urls.length; i++) {
            toml.append("[[sinks]]\ntype = \"keeper\"\nname = \"k").append(i).append("\"\nurl = \"")
                    .append(urls[i]).append("\"\n");
        }
        toml.append("[[sinks]]\ntype = \"stdout\"\n");
        return new ConfigLoader(Map.<String, String>of()::get).parse(toml.toString(), "config.toml");
    }

    private static Optional<StateLocation> locate(LagsnapConfig config) {
        return StateStores.locate(config, SINKS, "trend.json.gz");
    }

    @Test
    void twoProvidersOfOneSchemeFailNamingBothClasses() {
        assertThatThrownBy(() -> StateStores.of(List.of(new First(), new Second())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("two state store providers of scheme \"same\" on the class path: "
                        + First.class.getName() + " and " + Second.class.getName());
    }

    @Test
    void unsetStateLivesBesideTheFirstSinkThatKeepsObjectsWithThatSinksSettings() {
        StateLocation at = locate(config("", "s3://first/p", "gs://second/q")).orElseThrow();
        assertThat(at.url()).isEqualTo(URI.create("s3://first/p"));
        assertThat(at.settings().requiredString("url")).isEqualTo("s3://first/p");
        assertThat(at.at()).isEqualTo("config.toml:8: sinks[0].url");
        assertThat(at.key("p", "prod eu/1")).isEqualTo("p/cluster=prod%20eu%2F1/trend.json.gz");
    }

    @Test
    void withoutASinkThatKeepsObjectsAnUnsetStateMeansNoTrends() {
        assertThat(locate(config(""))).isEmpty();
    }

    @Test
    void noneTurnsTrendsOffEvenBesideAnObjectStore() {
        assertThat(locate(config("[run]\nstate = \"none\"", "s3://first/p"))).isEmpty();
    }

    @Test
    void anExplicitStateTakesTheSettingsOfASinkInTheSameBucketOnly() {
        StateLocation same = locate(config("[run]\nstate = \"s3://second/state\"", "s3://first/p",
                "s3://second/h")).orElseThrow();
        assertThat(same.url()).isEqualTo(URI.create("s3://second/state"));
        assertThat(same.settings().requiredString("url")).isEqualTo("s3://second/h");
        assertThat(same.at()).isEqualTo("run.state");

        StateLocation other = locate(config("[run]\nstate = \"gs://third/state\"", "s3://third/p")).orElseThrow();
        assertThat(other.url()).isEqualTo(URI.create("gs://third/state"));
        assertThat(other.settings()).isNull();
    }

    @Test
    void aSchemeWithoutAProviderOnTheClassPathIsAConfigErrorNamingKeyAndUrl() {
        StateStores stores = StateStores.load();
        StateLocation s3 = new StateLocation(URI.create("s3://bucket/p"), "trend.json.gz", null, "run.state");
        // core alone: the object-store module (s3://, gs://) is not on this class path
        assertThatThrownBy(() -> stores.check(s3)).isInstanceOf(ConfigException.class)
                .hasMessage("run.state: \"s3://bucket/p\": this artifact has no state store for s3:// "
                        + "(state stores: file://)");
    }

    @Test
    void coreOpensFileStateWithTheSameLayoutAsTheObjectStore() throws Exception {
        StateLocation at = new StateLocation(dir.toUri(), "trend.json.gz", null, "run.state");
        try (StateStore store = StateStores.load().open(at, Deadline.after(Duration.ofSeconds(5)))) {
            assertThat(store.replace("prod eu/1", "x".getBytes(StandardCharsets.UTF_8), null)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("cluster=prod%20eu%2F1/trend.json.gz"))).isEqualTo("x");
    }

    private static final class Keeper implements SinkProvider {
        @Override
        public String type() {
            return "keeper";
        }

        @Override
        public Sink create(SinkConfig config, SinkContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<URI> stateLocation(SinkConfig config) {
            return Optional.of(URI.create(config.requiredString("url")));
        }
    }

    private static class First implements StateStoreProvider {
        @Override
        public String scheme() {
            return "same";
        }

        @Override
        public StateStore open(StateLocation location, Deadline deadline) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class Second extends First {
    }
}
