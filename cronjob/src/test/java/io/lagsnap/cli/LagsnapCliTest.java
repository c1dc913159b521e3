package io.lagsnap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI end to end: exit codes, the fallback stdout sink, validate, and what reaches stderr. */
class LagsnapCliTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int cli(Map<String, String> env, String... args) {
        return LagsnapCli.execute(env::get, new PrintWriter(err, true), args);
    }

    private Path config(String toml) throws Exception {
        Path p = dir.resolve("config.toml");
        Files.writeString(p, toml);
        return p;
    }

    private static String cluster(String bootstrap, String extra) {
        return """
                [exporter]
                granularity = "partition"
                [exporter.performance]
                kafka_timeout = "2s"
                [[clusters]]
                name = "local"
                bootstrap_servers = "%s"
                group_whitelist = ["^cli-"]
                %s
                """.formatted(bootstrap, extra);
    }

    /** A run reports the loader's problems and the sinks' in one, as validate does, and contacts nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"validate", "run"})
    void validateAndARunListEveryProblemOfTheFileOneALineAndExitTwo(String command) throws Exception {
        Path config = config(cluster("127.0.0.1:1", """
                [[sinks]]
                type = "file"
                pathh = "x"
                [run]
                deadline = "0s"
                """));

        assertThat(command.equals("validate") ? cli(Map.of(), "validate", "--config", config.toString())
                : cli(Map.of(), "--config", config.toString())).isEqualTo(2);

        assertThat(err.toString().lines()).containsExactly(
                "lagsnap: config error: " + config + ":9: sinks[0].path: required for sink type \"file\"",
                "lagsnap: config error: " + config + ":11: sinks[0].pathh: unknown key \"pathh\" "
                        + "(did you mean \"path\"?)",
                "lagsnap: config error: " + config + ":13: run.deadline: duration must be positive, got \"0s\"");
    }

    @Test
    void withoutSinksItPrintsTheRequestedFormatToStdoutAndExitsZero() throws Exception {
        KafkaBroker broker = KAFKA.broker();
        broker.scenario().topic("cli-t", 1).produce("cli-t", 0, 10, i -> 1_000L).commit("cli-g", "cli-t", 0, 3L);
        Path config = config(cluster(broker.bootstrapServers(), ""));

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = cli(Map.of(), "--config", config.toString(), "--format", "json");
        } finally {
            System.setOut(original);
        }

        assertThat(code).isZero();
        JsonNode row = new ObjectMapper().readTree(stdout.toString(StandardCharsets.UTF_8).strip());
        assertThat(row.get("group").asText()).isEqualTo("cli-g");
        assertThat(row.get("lag").asLong()).isEqualTo(7);
        JsonNode report = new ObjectMapper().readTree(err.toString().lines().filter(l -> l.startsWith("{"))
                .reduce((a, b) -> b).orElseThrow());
        assertThat(report.get("exit_code").asInt()).isZero();
        assertThat(report.get("sinks").get(0).get("type").asText()).isEqualTo("stdout");
    }

    @Test
    void aConfigErrorExitsTwoWithTheMessageAndContactsNothing() throws Exception {
        Path config = config(cluster("127.0.0.1:1", "[[sinks]]\ntype = \"file\"\npathh = \"x\"\n"));
        assertThat(cli(Map.of(), "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("lagsnap: config error: " + config
                + ":11: sinks[0].pathh: unknown key \"pathh\" (did you mean \"path\"?)");
    }

    @Test
    void formatWithSinksIsAnErrorAndABadFormatNamesTheFlag() throws Exception {
        Path withSinks = config(cluster("127.0.0.1:1", "[[sinks]]\ntype = \"file\"\npath = \"" + dir.resolve("f")
                + "\"\n"));
        assertThat(cli(Map.of(), "--config", withSinks.toString(), "--format", "json")).isEqualTo(2);
        assertThat(err.toString()).contains("lagsnap: config error: --format applies only to a config without "
                + "[[sinks]]; " + withSinks + " has 1: add a [[sinks]] table of type \"stdout\" with its format");
        assertThat(Files.exists(dir.resolve("f"))).isFalse();

        Path noSinks = config(cluster("127.0.0.1:1", ""));
        assertThat(cli(Map.of(), "--config", noSinks.toString(), "--format", "yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("lagsnap: config error: --format: \"yaml\" is not one of table, json, "
                + "prometheus");
    }

    @Test
    void validateChecksEverySinkOffline() throws Exception {
        Path good = config(cluster("127.0.0.1:1", "[[sinks]]\ntype = \"file\"\npath = \"" + dir.resolve("x")
                + "\"\n"));
        assertThat(cli(Map.of(), "validate", "--config", good.toString())).isZero();
        assertThat(err.toString()).contains("is valid: 1 cluster(s), 1 sink(s)");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();

        Path bad = config(cluster("127.0.0.1:1", "[[sinks]]\ntype = \"file\"\n"));
        assertThat(cli(Map.of(), "validate", "--config", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(": sinks[0].path: required for sink type \"file\"");
    }

    @Test
    void anUnreachableClusterExitsOneAndSecretValuesNeverReachStderr() throws Exception {
        Path out = dir.resolve("out.prom");
        Path config = config(cluster("127.0.0.1:1", """
                [clusters.consumer_properties]
                "ssl.truststore.password" = "${TRUST_PW}"
                [[sinks]]
                type = "file"
                path = "%s"
                format = "prometheus"
                """.formatted(out)));
        int code = cli(Map.of("TRUST_PW", "hunter2-very-secret"), "--config", config.toString());
        assertThat(code).isEqualTo(1);
        assertThat(Files.exists(out)).isTrue();
        assertThat(err.toString()).contains("\"up\":false").doesNotContain("hunter2-very-secret");
    }

    @Test
    void shardComesFromTheFlagOrFromTheIndexedJobEnvironment() {
        assertThat(LagsnapCli.shard("2/5", k -> null)).isEqualTo(new Shard(2, 5));
        assertThat(LagsnapCli.shard(null, Map.of("JOB_COMPLETION_INDEX", "3", "LAGSNAP_SHARD_COUNT", "4")::get))
                .isEqualTo(new Shard(3, 4));
        assertThat(LagsnapCli.shard(null, Map.of("JOB_COMPLETION_INDEX", "3")::get)).isEqualTo(Shard.ALL);
    }

    @Test
    void aMissingConfigOptionIsAUsageErrorWithExitTwo() {
        assertThat(cli(Map.of())).isEqualTo(2);
        assertThat(err.toString()).contains("lagsnap: Missing required option: '--config=FILE'").contains("Usage:");
    }

    @Test
    void aBadShardIsAConfigError() throws Exception {
        Path config = config(cluster("127.0.0.1:1", ""));
        assertThat(cli(Map.of(), "--config", config.toString(), "--shard", "4/4")).isEqualTo(2);
        assertThat(err.toString()).contains("lagsnap: config error: --shard: shard 4/4: need 0 <= INDEX < COUNT");
    }
}
