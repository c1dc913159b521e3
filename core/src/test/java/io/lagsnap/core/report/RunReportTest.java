package io.lagsnap.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lagsnap.sink.api.model.ErrorKind;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.SamplingStats;
import io.lagsnap.sink.api.model.Shard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RunReportTest {
    private static RunReport report(List<ItemError> errors) {
        ClusterOutcome cluster = new ClusterOutcome("prod", true, true, null, 1, 10_000, 10_000,
                Duration.ofSeconds(2), Map.of(), 4, SamplingStats.NONE, errors);
        return new RunReport("0a1b2c3d4e5f", Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(3),
                Shard.ALL, List.of(cluster), List.of(new SinkOutcome("rows", "file", true, "ok", Duration.ZERO)),
                List.of());
    }

    /** 9,990 partitions of a topic the principal cannot read, and 10 offsets of another that could not be listed. */
    @Test
    void tenThousandItemErrorsAreListedTwentyPerPhaseAndKindAndCounted() throws Exception {
        List<ItemError> errors = new ArrayList<>();
        IntStream.range(0, 9_990).forEach(p -> errors.add(new ItemError(Phase.SAMPLING, "secret-topic-" + p,
                ErrorKind.AUTHORIZATION, "Not authorized to access topics: [secret-topic]")));
        IntStream.range(0, 10).forEach(p -> errors.add(new ItemError(Phase.OFFSETS, "orders-" + p, ErrorKind.TIMEOUT,
                "Timed out waiting for a node assignment")));

        String json = report(errors).toJson();

        JsonNode cluster = new ObjectMapper().readTree(json).at("/clusters/0");
        assertThat(cluster.get("errors_total").asInt()).isEqualTo(10_000);
        assertThat(cluster.get("errors_omitted").asInt()).isEqualTo(9_970);
        assertThat(cluster.get("errors")).hasSize(30);
        assertThat(cluster.get("errors")).extracting(e -> e.get("item").asText()).startsWith(
                "secret-topic-0", "secret-topic-1").contains("secret-topic-19", "orders-0", "orders-9")
                .doesNotContain("secret-topic-20");
        assertThat(json.length()).isLessThan(6_000);
    }

    @Test
    void aFewErrorsAreAllListed() throws Exception {
        JsonNode cluster = new ObjectMapper().readTree(report(List.of(
                new ItemError(Phase.CONFIGS, "orders", ErrorKind.AUTHORIZATION, "denied"))).toJson()).at("/clusters/0");

        assertThat(cluster.get("errors_total").asInt()).isEqualTo(1);
        assertThat(cluster.get("errors_omitted").asInt()).isZero();
        assertThat(cluster.at("/errors/0/item").asText()).isEqualTo("orders");
    }
}
