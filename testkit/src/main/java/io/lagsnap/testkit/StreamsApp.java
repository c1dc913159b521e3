package io.lagsnap.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A Kafka Streams application in a streams group (KIP-1071, {@code group.protocol=streams}): it counts the records
 * of one topic and commits its position every 100 ms. The group is named after the application id.
 */
public final class StreamsApp implements AutoCloseable {
    private final KafkaStreams streams;
    private final AtomicLong processed = new AtomicLong();
    private final Path stateDir;

    private StreamsApp(Map<String, Object> clientConfig, String applicationId, String topic) throws Exception {
        stateDir = Files.createTempDirectory("lagsnap-streams");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic).foreach((k, v) -> processed.incrementAndGet());
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        streams = new KafkaStreams(builder.build(), p);
    }

    /** Starts the application and returns once it has processed {@code records} records. */
    public static StreamsApp start(Map<String, Object> clientConfig, String applicationId, String topic,
                                   long records) throws Exception {
        StreamsApp app = new StreamsApp(clientConfig, applicationId, topic);
        try {
            app.streams.start();
            Await.until("streams app " + applicationId + " processed " + records + " records",
                    () -> app.processed.get() >= records);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    public long processed() {
        return processed.get();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(10));
        streams.cleanUp();
        try (var files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
