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

    private static final int PARTITIONS = 12;
    private static final int RECORDS = 1_000;

    @Test
    void positionsBeyondOnePollsRecordsAreAllSampledExactly() {
        // 12,000 small records, all within one fetch from offset 0: more than a poll hands over
        assertThat(PARTITIONS * RECORDS).isGreaterThan(TimestampSampler.MAX_POLL_RECORDS);
        KAFKA.broker().scenario().topic("wide", PARTITIONS);
        Map<TopicPartition, long[]> wanted = new HashMap<>();
        Map<TopicPartition, Long> highs = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            KAFKA.broker().scenario().produce("wide", p, RECORDS, i -> 1_000_000L * partition + i);
            TopicPartition tp = new TopicPartition("wide", p);
            wanted.put(tp, new long[] {0, 500 + p, RECORDS - 1});
            highs.put(tp, (long) RECORDS);
        }
        Properties client = new Properties();
        client.put("bootstrap.servers", KAFKA.broker().bootstrapServers());

        TimestampSampler.Result result = new TimestampSampler(client, 5_000)
                .sample(wanted, highs, Deadline.after(Duration.ofSeconds(30)));

        assertThat(result.errors()).isEmpty();
        assertThat(result.samples().size()).isEqualTo(3 * PARTITIONS);
        wanted.forEach((tp, offsets) -> {
            for (long o : offsets) {
                assertThat(result.samples().get(tp, o))
                        .isEqualTo(new TimestampSampler.Sample(o, 1_000_000L * tp.partition() + o));
            }
        });
    }
}
