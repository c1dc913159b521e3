package io.lagsnap.core.kafka;

import static io.lagsnap.core.kafka.ClusterTestConfigs.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.core.config.LagsnapConfig;
import io.lagsnap.sink.api.Deadline;
import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.testkit.ExternalProcess;
import io.lagsnap.testkit.KafkaBroker;
import io.lagsnap.testkit.LatencyProxy;
import io.lagsnap.testkit.Scenario;
import io.lagsnap.testkit.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The order of a cycle's requests, relayed through a {@link LatencyProxy} the broker advertises: which requests are
 * in flight together and how many sequential round trips (each request sent only after an earlier one was
 * answered) one cycle with time lag costs. The relay adds a round trip far longer than the client's own time
 * between requests it sends together, so the waves do not depend on the machine's speed; only requests and their
 * order are asserted, never a time.
 */
class CycleRoundTripsTest {
    private static final long T0 = 1_700_000_000_000L;
    /** Far above the client's own time between two requests it sends together. */
    private static final long ROUND_TRIP_MICROS = 200_000;
    /** Cycles measured at most, until one shows no round trip a stall added. */
    private static final int ATTEMPTS = 3;

    private static KafkaBroker broker;
    private static LatencyProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        int brokerPort = ExternalProcess.freePort();
        int proxyPort = ExternalProcess.freePort();
        broker = KafkaBroker.start(1, LatencyProxy.brokerProps(brokerPort, proxyPort));
        proxy = LatencyProxy.start(proxyPort, brokerPort);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        broker.close();
    }

    /**
     * One classic group lagging on two partitions, time lag on. Once connected, a cycle waits on 8 round trips: the
     * bootstrap Metadata, the Metadata that finds all brokers, ListGroups; FindCoordinator, then DescribeGroups with
     * OffsetFetch and the sampler's first two Metadata (its cluster and the topic list: it connects on a thread of
     * its own meanwhile); the three ListOffsets' Metadata with DescribeConfigs, then the three ListOffsets with the
     * sampler's Metadata for its partitions; the sampler's Fetch. The other Admin clients connect while the first
     * lists. The Fetch the consumer sends ahead and the one that ends its fetch session are answered only after the
     * cycle returned: it closes the consumer on a thread of its own. Strictly one after another these were 17.
     *
     * <p>Waves are told apart by time: a client that stalls longer than the relay's delay (a loaded machine, a GC)
     * splits a wave in two, never joins two, as a request that needs an answer cannot go out before it. So the cycle
     * is measured up to {@link #ATTEMPTS} times and the fewest round trips count: a structural regression adds
     * round trips to every attempt, a stall only to some.
     */
    @Test
    void aCycleWithTimeLagOverlapsItsIndependentPhases() {
        Scenario s = broker.scenario();
        s.topic("o-t", 2);
        s.produce("o-t", 0, 50, i -> T0 + i * 1000L).produce("o-t", 1, 50, i -> T0 + i * 1000L);
        s.commit("o-classic", Map.of(new TopicPartition("o-t", 0), 10L, new TopicPartition("o-t", 1), 20L));
        LagsnapConfig c = config("localhost:" + proxy.port(), "^o-", "");
        proxy.delay(ROUND_TRIP_MICROS);

        Cycle best = null;
        for (int attempt = 0; attempt < ATTEMPTS && (best == null || best.waitedOn().sequentialRoundTrips() > 8);
             attempt++) {
            Cycle cycle = measure(c);
            assertThat(cycle.snapshot().errors()).isEmpty();
            assertThat(cycle.snapshot().sampling().sampled()).isEqualTo(2);
            // phases overlap, yet they are listed in the order they start
            assertThat(cycle.snapshot().phaseDurations().keySet()).containsExactly(Phase.LIST, Phase.DESCRIBE,
                    Phase.OFFSETS, Phase.WATERMARKS, Phase.CONFIGS, Phase.SAMPLING);
            if (best == null || cycle.waitedOn().sequentialRoundTrips() < best.waitedOn().sequentialRoundTrips()) {
                best = cycle;
            }
        }
        // requests of one wave go out on several connections in either order: each wave's APIs sorted
        List<List<String>> waves = best.waitedOn().roundTrips().stream().map(w -> w.stream().sorted().toList())
                .toList();
        assertThat(waves).as(best.all().trace()).containsExactly(
                List.of("Metadata", "Metadata", "Metadata", "Metadata"),
                List.of("DescribeCluster", "DescribeCluster", "DescribeCluster", "Metadata"),
                List.of("ListGroups"),
                List.of("FindCoordinator", "FindCoordinator"),
                List.of("DescribeGroups", "Metadata", "Metadata", "OffsetFetch"),
                List.of("DescribeConfigs", "Metadata", "Metadata", "Metadata"),
                List.of("ListOffsets", "ListOffsets", "ListOffsets", "Metadata"),
                List.of("Fetch"));
        // the sampler's consumer connects on a thread of its own: nothing is left to ask between the watermarks'
        // answer and its Fetch, not even a connection (while the cycle waited for the watermarks, it was one)
        assertThat(best.requestsBetweenWatermarksAndFetch()).as(best.all().trace()).isEmpty();
        // connection set-up adds two: the Admin clients' bootstrap connections, then their connections to the
        // broker by its id; the sampler connects to a bootstrap broker with FindCoordinator and to the broker by its
        // id with the ListOffsets' Metadata
        assertThat(best.waitedOnWithSetUp().sequentialRoundTrips()).as(best.all().trace()).isEqualTo(10);
        // on the wire they still form one more round trip, which only the closing thread waits for
        assertThat(best.afterReturn()).as(best.all().trace()).containsExactly("Fetch", "Fetch");
        assertThat(best.all().without("ApiVersions").sequentialRoundTrips()).isEqualTo(9);
    }

    /**
     * One cycle as the relay saw it: all its requests, those answered before {@code collect} returned (what the
     * cycle waited on), and the APIs answered after it.
     */
    private record Cycle(ClusterSnapshot snapshot, Timeline all, Timeline waitedOnWithSetUp,
                         List<String> afterReturn) {
        Timeline waitedOn() {
            return waitedOnWithSetUp.without("ApiVersions");
        }

        /** The APIs sent after the last ListOffsets was answered and before the first Fetch was sent. */
        List<String> requestsBetweenWatermarksAndFetch() {
            List<LatencyProxy.Exchange> exchanges = all.exchanges();
            long watermarksAnswered = exchanges.stream().filter(e -> e.api().equals("ListOffsets"))
                    .mapToLong(LatencyProxy.Exchange::answeredNanos).max().orElseThrow();
            long firstFetch = exchanges.stream().filter(e -> e.api().equals("Fetch"))
                    .mapToLong(LatencyProxy.Exchange::sentNanos).min().orElseThrow();
            return exchanges.stream().filter(e -> e.sentNanos() > watermarksAnswered && e.sentNanos() < firstFetch)
                    .map(LatencyProxy.Exchange::api).toList();
        }
    }

    private static Cycle measure(LagsnapConfig c) {
        proxy.drain();
        ClusterSnapshot snap = new KafkaCollector(c.clusters().get(0), c.exporter(), Shard.ALL)
                .collect(Deadline.after(Duration.ofSeconds(30)));
        long returned = System.nanoTime();
        List<LatencyProxy.Exchange> exchanges = exchangesUntilSessionsEnd();
        return new Cycle(snap, new Timeline(exchanges),
                new Timeline(exchanges.stream().filter(e -> e.answeredNanos() <= returned).toList()),
                exchanges.stream().filter(e -> e.answeredNanos() > returned).map(LatencyProxy.Exchange::api).toList());
    }

    /** The relay logs a request once it is answered: waits until both Fetch requests of the close are. */
    private static List<LatencyProxy.Exchange> exchangesUntilSessionsEnd() {
        List<LatencyProxy.Exchange> out = new ArrayList<>();
        long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (out.stream().filter(e -> e.api().equals("Fetch")).count() < 3 && System.nanoTime() < giveUp) {
            out.addAll(proxy.drain());
            sleep(20);
        }
        out.addAll(proxy.drain());
        return out;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
