package io.lagsnap.core.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.core.config.ConfigLoader;
import io.lagsnap.core.invocation.ConfigSource.Overrides;
import io.lagsnap.core.invocation.Invocation.LoadedConfig;
import io.lagsnap.core.run.Runner;
import io.lagsnap.core.sink.SinkRegistry;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationTest {
    private static final String TOML = """
            [run]
            deadline = "30s"
            [[clusters]]
            name = "a"
            bootstrap_servers = "a:9092"
            """;

    @Test
    void safetyMarginIsThreeSecondsOrAQuarterOfAShortRemainingTime() {
        assertThat(Invocation.margin(Duration.ofSeconds(900))).isEqualTo(Duration.ofSeconds(3));
        assertThat(Invocation.margin(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(2));
    }

    /** The time the config read took comes out of the run's deadline, which counts from the arrival. */
    @Test
    void theConfigReadIsBoundedByThePlatformAndCountsAgainstTheRunDeadline() {
        List<Duration> readBudgets = new ArrayList<>();
        Invocation invocation = new Invocation((deadline, check) -> {
            readBudgets.add(deadline.remaining());
            sleep(Duration.ofMillis(1_500));
            return LoadedConfig.of(new ConfigLoader(Map.<String, String>of()::get).parse(TOML, "test"));
        }, new Runner(null, System::getenv), Invocation.TO_THE_LOG);

        Invocation.Arrival arrival = Invocation.Arrival.now(Duration.ofSeconds(12));
        Invocation.Prepared prepared = invocation.prepare(arrival, Overrides.NONE);

        // 12 s less the 3 s margin bounds the read; the 30 s run deadline is cut to that same point in time
        assertThat(readBudgets).singleElement().satisfies(b -> assertThat(b).isLessThanOrEqualTo(Duration.ofSeconds(9))
                .isGreaterThan(Duration.ofSeconds(8)));
        assertThat(prepared.deadline().remaining()).isLessThanOrEqualTo(Duration.ofMillis(7_500));
        assertThat(prepared.config().sinks()).extracting(s -> s.type() + " " + s.options())
                .containsExactly("stdout {format=json}");
    }

    /** Lambda, Cloud Functions and the CLI report the loader's problems and the sinks' in one, as validate does. */
    @Test
    void aRunReportsEveryProblemOfTheFileAndOfItsSinksInOneExceptionByLine() {
        Map<String, String> env = Map.of(ConfigSource.TEXT, """
                [exporter]
                granularty = "topic"
                [[sinks]]
                type = "file"
                path = "/tmp/rows.json"
                mode = "0777"
                [[clusters]]
                name = "prod"
                bootstrap_servers = "kafka1"
                [[sinks]]
                type = "stdout"
                formatt = "json"
                """);
        Invocation invocation = new Invocation(new ConfigSource(env::get, "s3", (url, deadline) -> {
            throw new AssertionError("no URL is read");
        }), new Runner(SinkRegistry.load(), env::get), Invocation.TO_THE_LOG);

        assertThatThrownBy(() -> invocation.prepare(Invocation.Arrival.now(), Overrides.NONE))
                .isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n",
                        "LAGSNAP_CONFIG:2: exporter.granularty: unknown key \"granularty\" "
                                + "(did you mean \"granularity\"?)",
                        "LAGSNAP_CONFIG:6: sinks[0].mode: \"0777\" is not an octal file mode such as \"0640\" "
                                + "(read/write bits only)",
                        "LAGSNAP_CONFIG:9: clusters[0].bootstrap_servers: \"kafka1\" is not host:port",
                        "LAGSNAP_CONFIG:12: sinks[1].formatt: unknown key \"formatt\" (did you mean \"format\"?)"));
    }

    @Test
    void withoutAPlatformLimitTheRunDeadlineCountsFromTheArrival() {
        Invocation invocation = new Invocation((deadline, check) -> {
            sleep(Duration.ofMillis(1_000));
            return LoadedConfig.of(new ConfigLoader(Map.<String, String>of()::get).parse(TOML, "test"));
        }, new Runner(null, System::getenv), Invocation.TO_THE_LOG);

        Deadline deadline = invocation.prepare(Invocation.Arrival.now(), Overrides.NONE).deadline();

        assertThat(deadline.remaining()).isLessThanOrEqualTo(Duration.ofSeconds(29))
                .isGreaterThan(Duration.ofSeconds(20));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
