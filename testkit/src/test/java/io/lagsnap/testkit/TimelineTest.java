package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static LatencyProxy.Exchange at(String api, long sentMs, long answeredMs) {
        return new LatencyProxy.Exchange(1, api, sentMs * 1_000_000, answeredMs * 1_000_000);
    }

    private final Timeline timeline = new Timeline(List.of(
            at("ListGroups", 0, 10),
            // two overlapping requests: one round trip
            at("OffsetFetch", 15, 30), at("DescribeGroups", 16, 25),
            // sent when nothing was outstanding: the next round trip
            at("ListOffsets", 40, 50), at("ListOffsets", 50, 55)));

    @Test
    void overlappingRequestsShareARoundTripAndOneSentAfterEveryAnswerStartsANewOne() {
        assertThat(timeline.sequentialRoundTrips()).isEqualTo(4);
        assertThat(timeline.roundTrips()).containsExactly(List.of("ListGroups"),
                List.of("OffsetFetch", "DescribeGroups"), List.of("ListOffsets"), List.of("ListOffsets"));
        assertThat(timeline.requestsByApi()).isEqualTo(Map.of("ListGroups", 1L, "OffsetFetch", 1L,
                "DescribeGroups", 1L, "ListOffsets", 2L));
    }

    @Test
    void chainsOnTwoConnectionsInFlightTogetherCountOnceAsTheLongerOne() {
        Timeline overlapping = new Timeline(List.of(
                at("Metadata", 0, 10), at("ListGroups", 11, 20),
                // another connection, busy all the while: it never leaves a gap, yet waits on nothing above
                at("DescribeCluster", 5, 15), at("FindCoordinator", 16, 30),
                at("OffsetFetch", 31, 40)));
        assertThat(overlapping.roundTrips()).containsExactly(List.of("Metadata", "DescribeCluster"),
                List.of("ListGroups", "FindCoordinator"), List.of("OffsetFetch"));
    }

    @Test
    void leavingOutAnApiLeavesItsRoundTripsOut() {
        assertThat(timeline.without("ListGroups").roundTrips()).containsExactly(
                List.of("OffsetFetch", "DescribeGroups"), List.of("ListOffsets"), List.of("ListOffsets"));
    }

    @Test
    void theTraceShowsEachRequestAndTheGapBeforeEachRoundTrip() {
        assertThat(timeline.trace()).isEqualTo("""
                  sent_ms answer_ms  took_ms  conn    gap_ms  api
                      0.0      10.0     10.0     1     start  ListGroups  [round trip 1]
                     15.0      30.0     15.0     1       5.0  OffsetFetch  [round trip 2]
                     16.0      25.0      9.0     1            DescribeGroups
                     40.0      50.0     10.0     1      10.0  ListOffsets  [round trip 3]
                     50.0      55.0      5.0     1       0.0  ListOffsets  [round trip 4]
                """);
    }
}
