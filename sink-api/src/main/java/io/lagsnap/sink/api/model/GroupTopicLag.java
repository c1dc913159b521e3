package io.lagsnap.sink.api.model;

/** Sum of a group's lag over the partitions of one topic. */
public record GroupTopicLag(String group, String topic, long sumLag) {
}
