package io.lagsnap.sink.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.SinkContext;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.config.SinkConfig;
import io.lagsnap.sink.api.model.Shard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every bad table is refused when the sink is created, naming the key, before anything is contacted. */
class OtlpSinkProviderTest {
    private static void create(Object... keysAndValues) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        SinkConfig table = new SinkConfig("otlp", "otlp", "test.toml: sinks[0]", options);
        new OtlpSinkProvider().create(table, new SinkContext(List.of(), Map.<String, String>of()::get, Shard.ALL));
        table.check(); // as the registry does: the problems the getters recorded
    }

    private static void fails(String message, Object... keysAndValues) {
        assertThatThrownBy(() -> create(keysAndValues)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void completeTablesAndTheDefaultsAreAccepted() {
        create();
        create("protocol", "grpc", "endpoint", "https://otlp.example:4317", "headers", Map.of("x-api-key", "k"),
                "timeout", "5s", "retries", 0L, "compression", "none");
        create("endpoint", "https://otlp.example/otlp/", "retries", 4L);
        assertThat(new OtlpSinkProvider().type()).isEqualTo("otlp");
    }

    @Test
    void theProtocolAndCompressionAreOneOfTheKnownValues() {
        assertThatThrownBy(() -> create("protocol", "http/json")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml: sinks[0].protocol: \"http/json\" is not one of ")
                .hasMessageContaining("grpc").hasMessageContaining("http/protobuf");
        assertThatThrownBy(() -> create("compression", "zstd")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml: sinks[0].compression: \"zstd\" is not one of ");
    }

    @Test
    void theEndpointMustBeAPlainHttpUrl() {
        fails("test.toml: sinks[0].endpoint: expected http(s)://HOST:PORT[/PATH], got \"localhost:4318\"",
                "endpoint", "localhost:4318");
        fails("test.toml: sinks[0].endpoint: must not contain credentials, a query or a fragment; put credentials "
                + "in headers", "endpoint", "https://user:pw@otlp.example");
    }

    @Test
    void headersRetriesAndUnknownKeysAreChecked() {
        fails("test.toml: sinks[0].headers.bad header: \"bad header\" is not a valid HTTP header name",
                "headers", Map.of("bad header", "v"));
        fails("test.toml: sinks[0].retries: at most 4 (5 attempts), got 5", "retries", 5L);
        fails("test.toml: sinks[0].retries: -1 is out of range: must be from 0 to 2147483647", "retries", -1L);
        assertThatThrownBy(() -> create("header", Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml: sinks[0].header: ").hasMessageContaining("headers");
    }
}
