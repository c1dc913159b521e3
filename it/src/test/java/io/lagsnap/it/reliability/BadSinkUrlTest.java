package io.lagsnap.it.reliability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.core.run.Runner;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.model.Shard;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A malformed URL in any network sink is a config error naming the file, the key path and the value, found while
 * the sinks are built, before anything is contacted (the cluster here does not even exist).
 */
class BadSinkUrlTest {
    @ParameterizedTest(name = "{0} {1} = \"{2}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            pushgateway  | url      | not a url      | bad.toml:6: sinks[0].url: "not a url" is not a URL: Illegal character in path at index 3
            pushgateway  | url      | ::             | bad.toml:6: sinks[0].url: "::" is not a URL: Expected scheme name at index 0
            pushgateway  | url      | localhost:9091 | bad.toml:6: sinks[0].url: expected http://HOST:PORT or https://HOST:PORT, got "localhost:9091"
            otlp         | endpoint | not a url      | bad.toml:6: sinks[0].endpoint: "not a url" is not a URL: Illegal character in path at index 3
            otlp         | endpoint | ::             | bad.toml:6: sinks[0].endpoint: "::" is not a URL: Expected scheme name at index 0
            otlp         | endpoint | ftp://x        | bad.toml:6: sinks[0].endpoint: expected http(s)://HOST:PORT[/PATH], got "ftp://x"
            object_store | url      | not a url      | bad.toml:6: sinks[0].url: "not a url" must start with s3://, gs:// or file://
            object_store | url      | ::             | bad.toml:6: sinks[0].url: "::" must start with s3://, gs:// or file://
            object_store | url      | s3://          | bad.toml:6: sinks[0].url: "s3://" needs a bucket name after s3:// (letters, digits, '.', '_', '-')
            pushgateway  | url      | http://admin:pw-5q@host:notaport | bad.toml:6: sinks[0].url: expected http://HOST:PORT or https://HOST:PORT, got "http://***@host:notaport"
            pushgateway  | url      | http://admin:pw-5q@host:9091     | bad.toml:6: sinks[0].url: must not contain credentials; use username and password_env
            otlp         | endpoint | http://admin:pw-5q@ho st:4318    | bad.toml:6: sinks[0].endpoint: "http://***@ho st:4318" is not a URL: Illegal character in authority at index 7
            """)
    void aMalformedUrlIsAConfigErrorNamingKeyAndValue(String type, String key, String value, String message) {
        LagsnapConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                [[clusters]]
                name = "nowhere"
                bootstrap_servers = "127.0.0.1:1"
                [[sinks]]
                type = "%s"
                %s = "%s"
                """.formatted(type, key, value), "bad.toml");

        assertThatThrownBy(() -> Runner.standard().validate(config, Shard.ALL))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
