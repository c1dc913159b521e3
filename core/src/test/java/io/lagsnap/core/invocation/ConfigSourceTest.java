package io.lagsnap.core.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ClusterConfig;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.invocation.ConfigSource.FailOn;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.model.Shard;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
    private static final Deadline SOON = Deadline.after(Duration.ofMinutes(5));
    private static final String TOML = """
            [[clusters]]
            name = "a"
            bootstrap_servers = "${BOOTSTRAP}"
            [[clusters]]
            name = "b"
            bootstrap_servers = "b:9092"
            """;

    private final Map<String, String> env = new HashMap<>(Map.of("BOOTSTRAP", "a:9092"));
    private final List<URI> urlsRead = new ArrayList<>();

    private ConfigSource source() {
        return new ConfigSource(env::get, "s3", (url, timeout) -> {
            urlsRead.add(url);
            return TOML;
        });
    }

    @Test
    void configTextComesFromTheVariableAndResolvesEnvReferences() {
        env.put(ConfigSource.TEXT, TOML);

        LagsnapConfig config = source().load(SOON).config();

        assertThat(config.source()).isEqualTo("LAGSNAP_CONFIG");
        assertThat(config.clusters()).extracting(ClusterConfig::name).containsExactly("a", "b");
        assertThat(config.clusters().get(0).bootstrapServers()).isEqualTo("a:9092");
        assertThat(urlsRead).isEmpty();
    }

    @Test
    void configFileIsReadFromThePath(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("lagsnap.toml"), TOML);
        env.put(ConfigSource.FILE, file.toString());

        LagsnapConfig config = source().load(SOON).config();

        assertThat(config.source()).isEqualTo(file.toString());
        assertThat(config.clusters()).hasSize(2);
    }

    @Test
    void missingConfigFileIsAConfigErrorNamingThePath(@TempDir Path dir) {
        env.put(ConfigSource.FILE, dir.resolve("absent.toml").toString());

        assertThatThrownBy(() -> source().load(SOON).config()).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("absent.toml") + ": config file not found");
    }

    /** A function's LAGSNAP_CONFIG_FILE gets the CLI's file checks: strict UTF-8 and the 1 MiB cap. */
    @Test
    void aConfigFileGetsTheLoadersChecks(@TempDir Path dir) throws IOException {
        Path latin1 = Files.write(dir.resolve("latin1.toml"), new byte[] {'#', ' ', (byte) 0xE9, '\n'});
        env.put(ConfigSource.FILE, latin1.toString());
        assertThatThrownBy(() -> source().load(SOON)).isInstanceOf(ConfigException.class)
                .hasMessage(latin1 + ": not UTF-8: invalid byte sequence at byte offset 2");

        Path huge = Files.write(dir.resolve("huge.toml"), new byte[(1 << 20) + 1]);
        env.put(ConfigSource.FILE, huge.toString());
        assertThatThrownBy(() -> source().load(SOON)).isInstanceOf(ConfigException.class)
                .hasMessage(huge + ": larger than 1048576 bytes (1 MiB), the most a config file may hold; is this the "
                        + "right file?");
    }

    @Test
    void configUrlIsReadThroughTheAdaptersReader() {
        env.put(ConfigSource.URL, "s3://bucket/path/lagsnap.toml");

        LagsnapConfig config = source().load(SOON).config();

        assertThat(urlsRead).containsExactly(URI.create("s3://bucket/path/lagsnap.toml"));
        assertThat(config.source()).isEqualTo("s3://bucket/path/lagsnap.toml");
        assertThat(config.clusters()).hasSize(2);
    }

    @Test
    void configUrlOfAnotherSchemeIsRejectedBeforeReading() {
        env.put(ConfigSource.URL, "gs://bucket/lagsnap.toml");

        assertThatThrownBy(() -> source().load(SOON).config()).isInstanceOf(ConfigException.class)
                .hasMessage("LAGSNAP_CONFIG_URL=gs://bucket/lagsnap.toml: expected s3://bucket/key");
        assertThat(urlsRead).isEmpty();
    }

    @Test
    void configUrlWithoutKeyIsRejected() {
        env.put(ConfigSource.URL, "s3://bucket");

        assertThatThrownBy(() -> source().load(SOON).config()).hasMessage(
                "LAGSNAP_CONFIG_URL=s3://bucket: expected s3://bucket/key");
    }

    @Test
    void unreadableUrlIsAConfigErrorWithTheReadersMessage() {
        env.put(ConfigSource.URL, "s3://bucket/missing.toml");
        ConfigSource failing = new ConfigSource(env::get, "s3", (url, timeout) -> {
            throw new IOException("NoSuchKey: The specified key does not exist.");
        });

        assertThatThrownBy(() -> failing.load(SOON)).isInstanceOf(ConfigException.class)
                .hasMessage("s3://bucket/missing.toml: cannot read config: NoSuchKey: The specified key does not exist.");
    }

    @Test
    void noVariableSetNamesAllThree() {
        assertThatThrownBy(() -> source().load(SOON).config()).isInstanceOf(ConfigException.class)
                .hasMessage("no config: set one of LAGSNAP_CONFIG, LAGSNAP_CONFIG_FILE, LAGSNAP_CONFIG_URL "
                        + "(LAGSNAP_CONFIG = the TOML, LAGSNAP_CONFIG_FILE = a path, LAGSNAP_CONFIG_URL = "
                        + "s3://bucket/key)");
    }

    @Test
    void blankVariablesCountAsUnset() {
        env.put(ConfigSource.FILE, "");
        env.put(ConfigSource.URL, "  ");
        env.put(ConfigSource.TEXT, TOML);

        assertThat(source().load(SOON).config().source()).isEqualTo("LAGSNAP_CONFIG");
    }

    @Test
    void twoVariablesSetIsAmbiguous() {
        env.put(ConfigSource.TEXT, TOML);
        env.put(ConfigSource.URL, "s3://bucket/lagsnap.toml");

        assertThatThrownBy(() -> source().load(SOON).config()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("set only one of LAGSNAP_CONFIG, LAGSNAP_CONFIG_URL (");
        assertThat(urlsRead).isEmpty();
    }

    @Test
    void failOnDefaultsToAnyFailure() {
        FailOn failOn = source().failOn();

        assertThat(failOn).isEqualTo(FailOn.ANY);
        assertThat(List.of(failOn.fails(0), failOn.fails(1), failOn.fails(3))).containsExactly(false, true, true);
    }

    @Test
    void failOnNothingDeliveredOnlyFailsExitCode3() {
        env.put(ConfigSource.FAIL_ON, "nothing_delivered");
        FailOn failOn = source().failOn();

        assertThat(List.of(failOn.fails(0), failOn.fails(1), failOn.fails(3))).containsExactly(false, false, true);
    }

    @Test
    void failOnNeverFailsNothing() {
        env.put(ConfigSource.FAIL_ON, "NEVER");
        FailOn failOn = source().failOn();

        assertThat(List.of(failOn.fails(0), failOn.fails(1), failOn.fails(3))).containsExactly(false, false, false);
    }

    @Test
    void failureMessageNamesRunExitCodeAndPolicy() {
        assertThat(FailOn.NOTHING_DELIVERED.failure("0a1b2c3d4e5f", 3))
                .isEqualTo("lagsnap run 0a1b2c3d4e5f ended with exit code 3 (LAGSNAP_FAIL_ON=nothing_delivered)");
    }

    @Test
    void unknownFailOnValueIsAConfigError() {
        env.put(ConfigSource.FAIL_ON, "sometimes");

        assertThatThrownBy(() -> source().failOn()).isInstanceOf(ConfigException.class)
                .hasMessage("LAGSNAP_FAIL_ON=sometimes: expected any, nothing_delivered or never");
    }

    @Test
    void overridesSelectClustersAndShard() {
        env.put(ConfigSource.TEXT, TOML);
        Overrides o = Overrides.fromJson("{\"clusters\": [\"b\"], \"shard\": \"1/4\", \"id\": \"x\"}", "event");

        assertThat(o.clusters()).containsExactly("b");
        assertThat(o.shard()).isEqualTo(new Shard(1, 4));
        assertThat(o.applyTo(source().load(SOON).config()).clusters()).extracting(ClusterConfig::name).containsExactly("b");
    }

    @Test
    void eventsWithoutOverridesCarryNone() {
        String scheduledEvent = """
                {"version": "0", "id": "53dc4d37", "detail-type": "Scheduled Event", "source": "aws.events",
                 "time": "2015-10-08T16:53:06Z", "resources": ["arn:aws:events:us-east-1:123456789012:rule/r"],
                 "detail": {}}""";

        assertThat(Overrides.fromJson(scheduledEvent, "event")).isEqualTo(Overrides.NONE);
        assertThat(Overrides.fromJson("", "event")).isEqualTo(Overrides.NONE);
    }

    @Test
    void jsonThatIsNotAnObjectIsAnInputErrorNotARunOfEverything() {
        assertThatThrownBy(() -> Overrides.fromJson("[1, 2]", "request body")).isInstanceOf(ConfigException.class)
                .hasMessage("request body: expected a JSON object such as {\"shard\": \"0/4\"}, got array");
        assertThatThrownBy(() -> Overrides.fromJson("123", "event"))
                .hasMessage("event: expected a JSON object such as {\"shard\": \"0/4\"}, got number");
    }

    @Test
    void aStoreThatDoesNotAnswerWithinTheDeadlineIsAConfigErrorAtTheDeadline() {
        env.put(ConfigSource.URL, "s3://bucket/lagsnap.toml");
        List<Duration> timeouts = new ArrayList<>();
        ConfigSource hanging = new ConfigSource(env::get, "s3", (url, timeout) -> {
            timeouts.add(timeout);
            Thread.sleep(60_000);
            return TOML;
        });

        assertThatThrownBy(() -> hanging.load(Deadline.after(Duration.ofMillis(300))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("s3://bucket/lagsnap.toml: cannot read config: no answer within the "
                        + "invocation's deadline");
        assertThat(timeouts).singleElement().satisfies(t -> assertThat(t).isPositive()
                .isLessThanOrEqualTo(Duration.ofMillis(300)));
    }

    @Test
    void platformReferencesAreResolvedAsVariablesAndReturnedForTheScrubber() {
        env.put(ConfigSource.TEXT, TOML.replace("b:9092", "${aws-secret:prod/bootstrap}"));
        ConfigSource.References store = (text, deadline) -> new ConfigSource.References.Resolved(
                text.replace("${aws-secret:prod/bootstrap}", "${LAGSNAP_REF_0}"),
                Map.of("LAGSNAP_REF_0", "q\"uoted:9092"));

        Invocation.LoadedConfig loaded = new ConfigSource(env::get, "s3", (u, t) -> TOML, store).load(SOON);

        assertThat(loaded.config().clusters().get(1).bootstrapServers()).isEqualTo("q\"uoted:9092");
        assertThat(loaded.resolvedSecrets()).containsExactly("q\"uoted:9092");
    }

    @Test
    void unknownClusterOverrideIsAConfigError() {
        env.put(ConfigSource.TEXT, TOML);
        Overrides o = Overrides.fromJson("{\"clusters\": [\"c\"]}", "event");

        assertThatThrownBy(() -> o.applyTo(source().load(SOON).config())).isInstanceOf(ConfigException.class)
                .hasMessage("LAGSNAP_CONFIG: no cluster named 'c' (known: [a, b])");
    }

    @Test
    void malformedOverridesAreConfigErrorsNamingTheKey() {
        assertThatThrownBy(() -> Overrides.fromJson("{\"clusters\": \"a\"}", "event"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("event.clusters: expected a list of cluster names, got a");
        assertThatThrownBy(() -> Overrides.fromJson("{\"shard\": \"4/4\"}", "event"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("event.shard: shard 4/4: need 0 <= INDEX < COUNT");
        assertThatThrownBy(() -> Overrides.fromJson("{\"shard\": 2}", "event"))
                .hasMessage("event.shard: expected \"INDEX/COUNT\", e.g. \"0/4\", got 2");
        assertThatThrownBy(() -> Overrides.fromJson("{not json", "HTTP body"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HTTP body: not JSON: ");
    }

    @Test
    void aConfigUrlIsShownWithoutItsUserInfo() {
        ConfigSource source = new ConfigSource(Map.of(ConfigSource.URL, "s3://admin:pw-9x7@bucket:notaport/k")::get,
                "s3", (url, timeout) -> "");
        assertThatThrownBy(() -> source.load(Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("pw-9x7")
                .hasMessageContaining("***@");
        ConfigSource malformed = new ConfigSource(Map.of(ConfigSource.URL, "s3://admin:pw-9x7@buc ket/k")::get,
                "s3", (url, timeout) -> "");
        assertThatThrownBy(() -> malformed.load(Deadline.after(Duration.ofSeconds(5))))
                .hasMessage("LAGSNAP_CONFIG_URL: \"s3://***@buc ket/k\" is not a URL: Illegal character in "
                        + "authority at index 5");
    }
}
