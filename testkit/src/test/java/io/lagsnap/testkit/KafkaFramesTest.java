package io.lagsnap.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaFramesTest {
    /** A request frame: size, api key, api version, correlation id, then {@code body} more bytes. */
    private static byte[] request(short apiKey, int correlationId, int body) {
        return ByteBuffer.allocate(4 + 8 + body).putInt(8 + body).putShort(apiKey).putShort((short) 3)
                .putInt(correlationId).array();
    }

    @Test
    void framesSplitAnywhereAcrossChunksAreEachReportedOnceWithTheirHeader() {
        byte[] stream = ByteBuffer.allocate(2 * 12 + 100 + 5).put(request((short) 9, 41, 100))
                .put(request((short) 2, 42, 5)).array();
        List<String> seen = new ArrayList<>();
        KafkaFrames frames = new KafkaFrames(true, (api, correlation) -> seen.add(api + "/" + correlation));

        // one byte, then three, then chunks of seven: both headers straddle chunk boundaries
        frames.feed(stream, 0, 1);
        frames.feed(stream, 1, 3);
        for (int i = 4; i < stream.length; i += 7) {
            frames.feed(stream, i, Math.min(7, stream.length - i));
        }

        assertThat(seen).containsExactly("9/41", "2/42");
    }

    @Test
    void responsesCarryOnlyTheCorrelationId() {
        byte[] stream = ByteBuffer.allocate(8 + 10 + 8).putInt(14).putInt(7).put(new byte[10]).putInt(4).putInt(8)
                .array();
        List<Integer> seen = new ArrayList<>();

        new KafkaFrames(false, (api, correlation) -> seen.add(correlation)).feed(stream, 0, stream.length);

        assertThat(seen).containsExactly(7, 8);
    }
}
