package io.lagsnap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestsTest {
    @Test
    void dropsInterNodeTrafficAndTheDoubleCountOfFetches() {
        Map<String, Long> counted = Map.of("ListGroups", 1L, "OffsetFetch", 1L, "Fetch", 3L, "FetchConsumer", 3L,
                "BrokerHeartbeat", 2L, "Metadata", 5L);

        assertThat(Requests.fromClients(counted)).containsExactlyInAnyOrderEntriesOf(Map.of("ListGroups", 1L,
                "OffsetFetch", 1L, "FetchConsumer", 3L, "Metadata", 5L));
    }
}
