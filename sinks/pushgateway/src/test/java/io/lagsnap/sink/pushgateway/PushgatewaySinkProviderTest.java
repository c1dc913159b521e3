package io.lagsnap.sink.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Shard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bad table is refused when the sink is created, naming the key, before anything is contacted. */
class PushgatewaySinkProviderTest {
    private static final Map<String, String> ENV = Map.of("PGW_PASSWORD", "pw-value", "PGW_TOKEN", "tok-value");

    private static void create(Object... keysAndValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        SinkConfig table = new SinkConfig("pushgateway", "pgw", "test.toml: sinks[0]", options);
        new PushgatewaySinkProvider().create(table, new SinkContext(List.of(), ENV::get, Shard.ALL));
        table.check(); // as the registry does: the problems the getters recorded
    }

    private static void fails(String message, Object... keysAndValues) {
        assertThatThrownBy(() -> create(keysAndValues)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aCompleteTableIsAccepted() {
        create("url", "https://pgw.example:9091/prefix/", "job", "kafka lag", "grouping_key", Map.of("env", "prod"),
                "username", "lagsnap", "password_env", "PGW_PASSWORD", "timeout", "3s", "retries", 0L);
        create("url", "http://pgw:9091", "bearer_token_env", "PGW_TOKEN");
        assertThat(new PushgatewaySinkProvider().type()).isEqualTo("pushgateway");
    }

    @Test
    void theUrlIsRequiredAndMustBeAPlainHttpUrl() {
        fails("test.toml: sinks[0].url: required for sink type \"pushgateway\"");
        fails("test.toml: sinks[0].url: expected http://HOST:PORT or https://HOST:PORT, got \"pgw:9091\"",
                "url", "pgw:9091");
        fails("test.toml: sinks[0].url: expected http://HOST:PORT or https://HOST:PORT, got \"ftp://pgw\"",
                "url", "ftp://pgw");
        fails("test.toml: sinks[0].url: must not contain credentials; use username and password_env",
                "url", "http://me:secret@pgw:9091");
        fails("test.toml: sinks[0].url: must not have a query or fragment", "url", "http://pgw:9091/?x=1");
    }

    @Test
    void unknownKeysAreRefusedWithAHint() {
        assertThatThrownBy(() -> create("url", "http://pgw:9091", "retry", 2L))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml: sinks[0].retry: ")
                .hasMessageContaining("retries");
    }

    private static final String RESERVED = "(reserved: client_id, cluster_name, compaction_detected, consumer_id, "
            + "data_loss_detected, group, job, kind, member_host, partition, phase, shard, sink, sink_type, topic)";

    @Test
    void groupingLabelsMustBeValidAndNotTheOnesTheSinkSets() {
        fails("test.toml: sinks[0].grouping_key.cluster_name: \"cluster_name\" is a label lagsnap sets itself "
                        + RESERVED,
                "url", "http://pgw:9091", "grouping_key", Map.of("cluster_name", "x"));
        // the labels of the run's own metrics, pushed to the run group with the same grouping key
        fails("test.toml: sinks[0].grouping_key.sink_type: \"sink_type\" is a label lagsnap sets itself "
                        + RESERVED,
                "url", "http://pgw:9091", "grouping_key", Map.of("sink_type", "x"));
        // a label of the lag metrics themselves: refused when the sink is built, before anything is collected
        fails("test.toml: sinks[0].grouping_key.topic: \"topic\" is a label lagsnap sets itself "
                        + RESERVED,
                "url", "http://pgw:9091", "grouping_key", Map.of("topic", "x"));
        fails("test.toml: sinks[0].grouping_key.my-env: \"my-env\" is not a valid label name "
                        + "([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)",
                "url", "http://pgw:9091", "grouping_key", Map.of("my-env", "x"));
        fails("test.toml: sinks[0].grouping_key.__x: \"__x\" is not a valid label name "
                        + "([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)",
                "url", "http://pgw:9091", "grouping_key", Map.of("__x", "x"));
    }

    @Test
    void credentialsComeFromTheEnvironmentAndOnlyOneKindAtATime() {
        fails("test.toml: sinks[0].password_env: environment variable PGW_MISSING is not set",
                "url", "http://pgw:9091", "username", "u", "password_env", "PGW_MISSING");
        fails("test.toml: sinks[0].username: required for sink type \"pushgateway\"",
                "url", "http://pgw:9091", "password_env", "PGW_PASSWORD");
        fails("test.toml: sinks[0].password_env: required for sink type \"pushgateway\"",
                "url", "http://pgw:9091", "username", "u");
        fails("test.toml: sinks[0].bearer_token_env: use either username/password_env or bearer_token_env, not both",
                "url", "http://pgw:9091", "username", "u", "password_env", "PGW_PASSWORD",
                "bearer_token_env", "PGW_TOKEN");
        fails("test.toml: sinks[0].bearer_token_env: environment variable PGW_NONE is not set",
                "url", "http://pgw:9091", "bearer_token_env", "PGW_NONE");
    }

    @Test
    void aTableWithThreeBadValuesReportsAllThreeWithTheirLines() {
        String toml = """
                [[clusters]]
                name = "prod"
                bootstrap_servers = "kafka1:9092"

                [[sinks]]
                type = "pushgateway"
                url = "http://pgw:9091"
                job = 7
                timeout = "soon"
                retries = -1
                """;
        Runner runner = new Runner(SinkRegistry.load(), ENV::get);

        assertThatThrownBy(() -> new ConfigLoader(ENV::get).parse(toml, "config.toml",
                config -> runner.validate(config, Shard.ALL)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .extracting(ConfigException.Problem::line).containsExactly(8, 9, 10))
                .hasMessage(String.join("\n",
                        "config.toml:8: sinks[0].job: expected a string, got 7",
                        "config.toml:9: sinks[0].timeout: \"soon\" is not a duration "
                                + "(use a number with a unit: 500ms, 30s, 5m, 1h, or 1m30s)",
                        "config.toml:10: sinks[0].retries: -1 is out of range: must be from 0 to 2147483647"));
    }

    @Test
    void timeoutsAndRetriesAreChecked() {
        fails("test.toml: sinks[0].timeout: duration must be positive, got \"0s\"", "url", "http://pgw:9091",
                "timeout", "0s");
        fails("test.toml: sinks[0].retries: -1 is out of range: must be from 0 to 2147483647", "url", "http://pgw:9091", "retries", -1L);
        fails("test.toml: sinks[0].job: must not be empty", "url", "http://pgw:9091", "job", " ");
    }
}
