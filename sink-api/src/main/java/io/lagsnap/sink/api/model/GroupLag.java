package io.lagsnap.sink.api.model;

/**
 * Aggregates of one group over its rows, from each row's reported lag ({@link PartitionLag#reportedLag()}).
 * {@code maxLag} and {@code sumLag} are null when the group has rows but none with a position (it never
 * committed): no aggregate pretends a lag of 0. {@code maxLagSeconds} is null when no row had a time lag.
 */
public record GroupLag(String group, GroupType type, GroupState state, Long maxLag, Long sumLag,
                       Double maxLagSeconds) {
}
