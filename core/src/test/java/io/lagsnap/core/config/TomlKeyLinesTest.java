package io.lagsnap.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TomlKeyLinesTest {
    @Test
    void findsTheLineOfEveryKindOfKey() {
        Map<String, Integer> lines = TomlKeyLines.of("""
                title = "a # not a comment" # a comment
                [exporter.performance]
                kafka_timeout = "5s"
                [[clusters]]
                name = '''one
                two'''
                consumer_properties."sasl.jaas.config" = \"""
                  x = "y" \\\"""
                \"""
                topic_blacklist = [
                  "^__.*", # comment
                  "b",
                ]
                labels = { team = "a", tier = { level = 1 } }
                [[clusters]]
                name = "two"
                [clusters.labels]
                zone = 1979-05-27 07:32:00
                [[sinks]]
                type = "file"
                """);

        assertThat(lines).containsAllEntriesOf(Map.ofEntries(
                Map.entry("title", 1),
                Map.entry("exporter", 2),
                Map.entry("exporter.performance", 2),
                Map.entry("exporter.performance.kafka_timeout", 3),
                Map.entry("clusters", 4),
                Map.entry("clusters[0]", 4),
                Map.entry("clusters[0].name", 5),
                Map.entry("clusters[0].consumer_properties", 7),
                Map.entry("clusters[0].consumer_properties.sasl.jaas.config", 7),
                Map.entry("clusters[0].topic_blacklist", 10),
                Map.entry("clusters[0].topic_blacklist[0]", 11),
                Map.entry("clusters[0].topic_blacklist[1]", 12),
                Map.entry("clusters[0].labels.team", 14),
                Map.entry("clusters[0].labels.tier.level", 14),
                Map.entry("clusters[1]", 15),
                Map.entry("clusters[1].name", 16),
                Map.entry("clusters[1].labels", 17),
                Map.entry("clusters[1].labels.zone", 18),
                Map.entry("sinks[0]", 19),
                Map.entry("sinks[0].type", 20)));
    }

    @Test
    void aMissingKeyTakesTheLineOfItsTable() {
        Map<String, Integer> lines = TomlKeyLines.of("a = 1\n\n[[sinks]]\ntype = \"file\"\n");

        assertThat(TomlKeyLines.lineOf(lines, "sinks[0].path")).isEqualTo(3);
        assertThat(TomlKeyLines.lineOf(lines, "clusters")).isZero();
    }
}
