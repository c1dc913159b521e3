package io.lagsnap.sink.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The typed getters every table of the config is read with: they record bad values and declare their keys. */
class ConfigTableTest {
    /** Lines as a file would give them: the table's header on 1, each key on the line of its position. */
    private static ConfigTable table(Map<String, Object> options) {
        List<String> keys = List.copyOf(options.keySet());
        return new ConfigTable("config.toml", "exporter", 1,
                key -> keys.indexOf(key.split("\\.")[0]) + 2, options);
    }

    @Test
    void keysNoGetterReadAreUnknownWithAHintFromTheGettersThatRan() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("granularity", "topic");
        options.put("timeuot", "5s");
        options.put("poll_interval", "30s");
        ConfigTable t = table(options);

        assertThat(t.string("granularity", "topic")).isEqualTo("topic");
        assertThat(t.duration("timeout", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        t.requireOnlyReadKeys(Set.of("poll_interval"));

        assertThatThrownBy(t::check).isInstanceOf(ConfigException.class)
                .hasMessage("config.toml:3: exporter.timeuot: unknown key \"timeuot\" (did you mean \"timeout\"?)");
    }

    @Test
    void everyBadValueIsRecordedWithItsLineAndItsFallbackReadInstead() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("enabled", "yes");
        options.put("waves", 0L);
        options.put("sampling", Map.of("fetch_timeout", "5ms"));
        ConfigTable t = table(options);

        assertThat(t.bool("enabled", true)).isTrue();
        assertThat(t.integer("waves", 7, 1, 10)).isEqualTo(7);
        ConfigTable sampling = t.table("sampling");
        assertThat(sampling.duration("fetch_timeout", Duration.ofSeconds(2), Duration.ofMillis(10),
                Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(2));

        assertThat(t.problems()).extracting(ConfigException.Problem::line).containsExactly(2, 3, 4);
        assertThatThrownBy(t::check).hasMessage(String.join("\n",
                "config.toml:2: exporter.enabled: expected true or false, got \"yes\"",
                "config.toml:3: exporter.waves: 0 is out of range: must be from 1 to 10",
                "config.toml:4: exporter.sampling.fetch_timeout: \"5ms\" is out of range: must be from 10ms to 1h"));
        assertThat(t.problems()).isEmpty();
    }

    @Test
    void tableAndListValuesAreNeverSpeltOut() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("props", Map.of("sasl.jaas.config", List.of("password=hunter2"), "retries", 3L));
        ConfigTable t = table(options);

        assertThat(t.textMap("props")).containsExactly(Map.entry("retries", "3"));
        assertThat(t.problems()).extracting(ConfigException.Problem::message)
                .containsExactly("config.toml:2: exporter.props.sasl.jaas.config: expected a string, got a list");
    }
}
