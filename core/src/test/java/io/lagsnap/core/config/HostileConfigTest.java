package io.lagsnap.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lagsnap.sink.api.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attacks of issue 19 on the loader: odd files, out-of-range numbers, secrets in messages. */
class HostileConfigTest {
    private static final String PEM_KEY = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n"
            + "-----END PRIVATE KEY-----";

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader(Map.of("HUGE", "x".repeat(50 * 1024 * 1024))::get);

    private LagsnapConfig parse(String toml) {
        return loader.parse(toml, "config.toml");
    }

    private static String cluster(String extra) {
        return "[[clusters]]\nname = \"prod\"\nbootstrap_servers = \"localhost:9092\"\n" + extra;
    }

    @Test
    void hugeNumbersAreOutOfRangeNamingTheKeyAndTheNumberAsWritten() {
        assertThatThrownBy(() -> parse("[exporter.timestamp_sampling]\nmax_partitions_per_wave = "
                + "99999999999999999999999\n" + cluster("")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.toml:2: exporter.timestamp_sampling.max_partitions_per_wave: "
                        + "99999999999999999999999 is out of range: must be from 1 to 1000000");
        // a 19-digit integer: jackson-dataformat-toml hands back a wrong value (its last ten digits), still refused
        assertThatThrownBy(() -> parse("[exporter.timestamp_sampling]\nmax_partitions_per_wave = "
                + "9223372036854775807\n" + cluster("")))
                .hasMessageContaining("max_partitions_per_wave: ").hasMessageEndingWith(" is out of range: must be "
                        + "from 1 to 1000000");
    }

    @Test
    void hugeDurationsAreOutOfRangeAtLoadTime() {
        assertThatThrownBy(() -> parse(cluster("[run]\ndeadline = \"99999999999999999999ms\"\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.toml:5: run.deadline: \"99999999999999999999ms\" is out of range: "
                        + "must be from 1s to 24h");
        // fits a Duration, but not a Deadline's nanoseconds: used to pass validate and crash the run
        assertThatThrownBy(() -> parse(cluster("[run]\ndeadline = \"2562048h\"\n")))
                .hasMessage("config.toml:5: run.deadline: \"2562048h\" is out of range: must be from 1s to 24h");
        assertThatThrownBy(() -> parse("[exporter.performance]\nkafka_timeout = \"100000000h\"\n" + cluster("")))
                .hasMessage("config.toml:2: exporter.performance.kafka_timeout: \"100000000h\" is out of range: "
                        + "must be from 10ms to 1h");
        assertThat(parse(cluster("[run]\ndeadline = \"24h\"\n")).run().deadline()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void anEndlessFileIsCutAtOneMebibyte() {
        assertThatThrownBy(() -> loader.load(Path.of("/dev/zero")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/dev/zero: larger than 1048576 bytes (1 MiB), the most a config file may hold; "
                        + "is this the right file?");
    }

    @Test
    void aFiftyMegabyteValueNamesItsKeyAndSize() {
        assertThatThrownBy(() -> parse(cluster("[clusters.consumer_properties]\n\"client.id\" = \"${HUGE}\"\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.toml:5: clusters[0].consumer_properties.client.id: value of 52428800 characters "
                        + "is longer than the 65536 a config value may hold");
    }

    @Test
    void invalidUtf8NamesTheFileAndByteOffset() throws Exception {
        Path file = dir.resolve("latin1.toml");
        byte[] head = cluster("labels = { team = \"").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9; // "é" in Latin-1
        bytes[head.length + 1] = '"';
        bytes[head.length + 2] = '}';
        Files.write(file, bytes);
        assertThatThrownBy(() -> loader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": not UTF-8: invalid byte sequence at byte offset " + head.length);
    }

    @Test
    void aUtf8ByteOrderMarkIsAccepted() throws Exception {
        Path file = dir.resolve("bom.toml");
        Files.writeString(file, "\uFEFF" + cluster(""), StandardCharsets.UTF_8);
        assertThat(loader.load(file).clusters().get(0).name()).isEqualTo("prod");
    }

    @Test
    void theValueOfASecretKeyIsNeverShown() {
        assertThatThrownBy(() -> parse(cluster("[clusters.consumer_properties]\n"
                + "\"sasl.jaas.config\" = [\"ScramLoginModule required password=\\\"hunter2-pw\\\";\"]\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config.toml:5: clusters[0].consumer_properties.sasl.jaas.config: expected a string, "
                        + "got a list");
    }

    @Test
    void aUserNameIsNotASecretSoMessagesStayReadable() {
        LagsnapConfig c = parse(cluster("""
                [clusters.consumer_properties]
                "sasl.jaas.config" = 'ScramLoginModule required username="lagsnap" password="s3cr3t-pw";'
                """));
        Secrets secrets = Secrets.of(c);
        assertThat(secrets.scrub("bucket lagsnap-bucket: login as lagsnap with s3cr3t-pw failed"))
                .isEqualTo("bucket lagsnap-bucket: login as lagsnap with [redacted] failed");
    }

    /** The JAAS string escapes " and \\; the password itself, as a server might echo it, is masked all the same. */
    @Test
    void aPasswordWithQuotesAndBackslashesIsMaskedAsWrittenAndAsEscaped() {
        LagsnapConfig c = parse(cluster("""
                [clusters.consumer_properties]
                "security.protocol" = "SASL_SSL"
                "sasl.mechanism" = "SCRAM-SHA-512"
                "sasl.username" = "lagsnap"
                "sasl.password" = 'Tr0ub4dor"&3\\x\\yz'
                """));
        Secrets secrets = Secrets.of(c);
        assertThat(secrets.scrub("server said: bad password Tr0ub4dor\"&3\\x\\yz for lagsnap"))
                .isEqualTo("server said: bad password [redacted] for lagsnap");
        assertThat(secrets.scrub("echo: password=\"Tr0ub4dor\\\"&3\\\\x\\\\yz\""))
                .isEqualTo("echo: password=\"[redacted]\"");
    }

    @Test
    void keyMaterialIsRedactedByKafkasOwnKnowledge() {
        LagsnapConfig c = parse(cluster("[clusters.consumer_properties]\n"
                + "\"ssl.keystore.key\" = \"" + PEM_KEY + "\"\n"
                + "\"ssl.keystore.certificate.chain\" = \"chain-pem\"\n"
                + "\"ssl.truststore.certificates\" = \"trust-pem\"\n"
                // PASSWORD in Kafka's ConfigDef, though the name says nothing of it
                + "\"sasl.oauthbearer.assertion.private.key.passphrase\" = \"phrase\"\n"
                + "\"ssl.keystore.type\" = \"PEM\"\n"));
        Map<String, String> shown = Secrets.redacted(c.clusters().get(0).consumerProperties());
        assertThat(shown).containsEntry("ssl.keystore.key", "[redacted]")
                .containsEntry("ssl.keystore.certificate.chain", "[redacted]")
                .containsEntry("ssl.truststore.certificates", "[redacted]")
                .containsEntry("sasl.oauthbearer.assertion.private.key.passphrase", "[redacted]")
                .containsEntry("ssl.keystore.type", "PEM");
        assertThat(Secrets.scrubLog("connecting with " + c.clusters().get(0).consumerProperties()))
                .doesNotContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    }

    @Test
    void aSecretUnderFourCharactersIsWarnedAbout() {
        LagsnapConfig c = parse(cluster("[clusters.consumer_properties]\n\"ssl.truststore.password\" = \"abc\"\n"));
        assertThat(c.warnings()).containsExactly("config.toml: clusters.prod.consumer_properties."
                + "ssl.truststore.password is a secret shorter than 4 characters: too short to be safe, and too "
                + "short to scrub from logs reliably");
    }
}
