package io.lagsnap.core.kafka;

import org.apache.kafka.common.serialization.Deserializer;

/** Drops keys and values unread: sampling needs only offsets and timestamps, and payloads must never be kept. */
public final class DiscardingDeserializer implements Deserializer<Object> {
    @Override
    public Object deserialize(String topic, byte[] data) {
        return null;
    }
}
