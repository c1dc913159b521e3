package io.lagsnap.sink.api.model;

/**
 * A phase of one cluster's collection cycle, in the order a cycle runs them. {@link #label()} is the phase's wire
 * name: the {@code phase} label of lagsnap's self-metrics, the key of the JSON report's {@code phases_ms} and the
 * {@code phase} of its errors.
 */
public enum Phase {
    /** {@code "list"}: listing the groups. */
    LIST("list"),
    /** {@code "describe"}: describing the groups (state, members, assignments). */
    DESCRIBE("describe"),
    /** {@code "offsets"}: reading the groups' committed (or share start) offsets. */
    OFFSETS("offsets"),
    /** {@code "watermarks"}: reading the partitions' low, high and last stable offsets. */
    WATERMARKS("watermarks"),
    /** {@code "configs"}: reading the topics' configs (cleanup.policy). */
    CONFIGS("configs"),
    /** {@code "sampling"}: fetching record timestamps for lag_seconds. */
    SAMPLING("sampling");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    /** The wire name, e.g. {@code "list"}. */
    public String label() {
        return label;
    }
}
