package io.lagsnap.sink.api.model;

/** Aggregates of one group over its rows; {@code maxLagSeconds} is null when no row had a time lag. */
public record GroupLag(String group, GroupState state, long maxLag, long sumLag, Double maxLagSeconds) {
}
