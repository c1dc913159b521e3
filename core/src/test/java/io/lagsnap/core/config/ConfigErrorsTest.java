package io.lagsnap.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.config.ConfigException;
import io.lagsnap.sink.api.model.Shard;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A config full of mistakes reports every one of them in one exception, sorted by line, each naming its line. */
class ConfigErrorsTest {
    private static final ConfigLoader LOADER = new ConfigLoader(Map.<String, String>of()::get);

    /** What `lagsnap validate` does: the loader's checks and every sink provider's, in one report. */
    private static LagsnapConfig validate(String toml) {
        Runner runner = new Runner(SinkRegistry.load(), Map.<String, String>of()::get);
        return LOADER.parse(toml, "config.toml", config -> runner.validate(config, Shard.ALL));
    }

    @Test
    void everyMistakeOfTheFileIsReportedOnceInLineOrder() {
        String toml = """
                # a config with one mistake of each kind
                [exporter]
                granularty = "topic"

                [run]
                deadline = "30"

                [[sinks]]
                type = "file"
                path = "/tmp/lagsnap-rows.json"
                formatt = "json"

                [[clusters]]
                name = "prod"
                bootstrap_servers = "kafka1:9092"
                labels = { team = "payments", "2fa" = "on" }

                [[sinks]]
                type = "stdot"
                """;

        assertThatThrownBy(() -> validate(toml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n",
                        "config.toml:3: exporter.granularty: unknown key \"granularty\" "
                                + "(did you mean \"granularity\"?)",
                        "config.toml:6: run.deadline: \"30\" is not a duration "
                                + "(use a number with a unit: 500ms, 30s, 5m, 1h, or 1m30s)",
                        "config.toml:11: sinks[0].formatt: unknown key \"formatt\" (did you mean \"format\"?)",
                        "config.toml:16: clusters[0].labels.2fa: \"2fa\" is not a valid label name "
                                + "([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)",
                        "config.toml:19: sinks[1].type: unknown sink type \"stdot\" (known types: file, stdout, test-report-fails)"));
    }

    @Test
    void eachProblemCarriesItsLineAndAKeyMissingFromAFileHasNone() {
        String toml = """
                [exporter.timestamp_sampling]
                max_partitions_per_wave = 0
                fetch_timeout = "1ms"
                """;

        ConfigException e = catchConfig(toml);

        assertThat(e.problems()).extracting(ConfigException.Problem::line, ConfigException.Problem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0,
                                "config.toml: clusters: at least one [[clusters]] entry is required"),
                        org.assertj.core.groups.Tuple.tuple(2, "config.toml:2: exporter.timestamp_sampling"
                                + ".max_partitions_per_wave: 0 is out of range: must be from 1 to 1000000"),
                        org.assertj.core.groups.Tuple.tuple(3, "config.toml:3: exporter.timestamp_sampling"
                                + ".fetch_timeout: \"1ms\" is out of range: must be from 10ms to 1h"));
    }

    @Test
    void aRequiredKeyMissingFromATableIsReportedAtTheTable() {
        String toml = """
                [[clusters]]
                name = "prod"
                bootstrap_servers = "kafka1:9092"

                [[clusters]]
                bootstrap_servers = "kafka2:9092"
                """;

        assertThatThrownBy(() -> validate(toml))
                .hasMessage("config.toml:5: clusters[1].name: required and must not be empty");
    }

    @Test
    void aStateUrlIsParsedByTheSharedUrlCheckWhichHidesCredentials() {
        assertThatThrownBy(() -> validate("[run]\nstate = \"file://u:pw-x@h/a b\"\n"))
                .hasMessage("config.toml: clusters: at least one [[clusters]] entry is required\n"
                        + "config.toml:2: run.state: \"file://***@h/a b\" is not a URL: Illegal character in path "
                        + "at index 17");
    }

    @Test
    void aStateUrlOfAnUnknownSchemeNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> validate("[run]\nstate = \"http://u:pw@h/state\"\n"))
                .hasMessageContaining("config.toml:2: run.state: \"http://***@h/state\" has an unknown scheme "
                        + "\"http\": use file://, s3:// or gs://, or \"none\" for no trends");
        assertThatThrownBy(() -> validate("[run]\nstate = \"/var/lib/lagsnap\"\n"))
                .hasMessageContaining("config.toml:2: run.state: \"/var/lib/lagsnap\" has no scheme: use file://, "
                        + "s3:// or gs://, or \"none\" for no trends");
        assertThatThrownBy(() -> validate("[run]\nstate = \"s3:///prefix\"\n"))
                .hasMessageContaining("config.toml:2: run.state: \"s3:///prefix\" needs a bucket, e.g. "
                        + "\"s3://my-bucket/lagsnap\"");
    }

    @Test
    void aStateUrlOfAnObjectStoreOrNoneIsAccepted() {
        String cluster = "\n[[clusters]]\nname = \"c\"\nbootstrap_servers = \"k:9092\"\n";
        assertThat(LOADER.parse("[run]\nstate = \"none\"" + cluster, "config.toml").run().state())
                .isEqualTo(RunConfig.NO_STATE);
        assertThat(LOADER.parse("[run]\nstate = \"gs://b/p\"" + cluster, "config.toml").run().state())
                .hasToString("gs://b/p");
    }

    private static ConfigException catchConfig(String toml) {
        try {
            validate(toml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("the config loaded");
    }
}
