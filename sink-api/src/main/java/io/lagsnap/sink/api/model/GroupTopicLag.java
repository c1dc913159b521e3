package io.lagsnap.sink.api.model;

/**
 * A group's lag over its partitions of one topic that have a committed position: the sum of the lag, the highest
 * {@link PartitionLag#lagRetentionRatio} (over 100 means data loss) and the messages lost to retention.
 */
public record GroupTopicLag(String group, String topic, long sumLag, double maxLagRetentionRatio,
                            long messagesLost) {
}
