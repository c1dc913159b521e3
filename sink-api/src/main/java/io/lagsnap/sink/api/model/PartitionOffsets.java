package io.lagsnap.sink.api.model;

/** Low (earliest) and high (latest) watermark of a monitored partition. */
public record PartitionOffsets(String topic, int partition, long earliest, long latest) {
}
