package io.lagsnap.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.lagsnap.sink.api.Deadline;
import io.lagsnap.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sampler on a real broker when one fetch brings back more records than one poll hands over. */
class SamplerPollTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.single();

    @Test
    void positionsBeyondOnePollsRecordsAreAllSampledExactly() {
        // 12 partitions of 1,000 small records, all within one fetch from offset 0: more than a poll hands over
        assertSampledExactly("wide", 12, 1_000);
    }

    @Test
    void aPartitionThatAPollCutsShortIsSampledExactlyAfterTheCut() {
        // 8 partitions of 1,500: the first poll's 10,000 records end 1,000 records into the seventh partition it
        // drains, whose last wanted offset (1,499) lies after the cut
        assertThat(TimestampSampler.MAX_POLL_RECORDS % 1_500).isNotZero();
        assertSampledExactly("cut", 8, 1_500);
    }

    /** Offsets 0, 500 + p and the last of every partition p, each record's timestamp 1,000,000 × p + its offset. */
    private static void assertSampledExactly(String topic, int partitions, int records) {
        assertThat(partitions * records).isGreaterThan(TimestampSampler.MAX_POLL_RECORDS);
        KAFKA.broker().scenario().topic(topic, partitions);
        Map<TopicPartition, long[]> wanted = new HashMap<>();
        Map<TopicPartition, Long> highs = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            KAFKA.broker().scenario().produce(topic, p, records, i -> 1_000_000L * partition + i);
            TopicPartition tp = new TopicPartition(topic, p);
            wanted.put(tp, new long[] {0, 500 + p, records - 1});
            highs.put(tp, (long) records);
        }
        Properties client = new Properties();
        client.put("bootstrap.servers", KAFKA.broker().bootstrapServers());

        TimestampSampler.Result result = new TimestampSampler(client, 5_000)
                .sample(wanted, highs, Deadline.after(Duration.ofSeconds(30)));

        assertThat(result.errors()).isEmpty();
        assertThat(result.samples().size()).isEqualTo(3 * partitions);
        wanted.forEach((tp, offsets) -> {
            for (long o : offsets) {
                assertThat(result.samples().get(tp, o))
                        .isEqualTo(new TimestampSampler.Sample(o, 1_000_000L * tp.partition() + o));
            }
        });
    }
}
