package io.lagsnap.sink.api.model;

/**
 * Why one item failed in a phase ({@link ItemError#kind()}). {@link #label()} is the kind's wire name: the
 * {@code kind} label of lagsnap's collection-error metric and the {@code kind} of the JSON report's errors.
 */
public enum ErrorKind {
    /** {@code "timeout"}: no answer within the phase's timeout or the run deadline. */
    TIMEOUT("timeout"),
    /** {@code "authorization"}: the principal lacks an ACL for the group or topic. */
    AUTHORIZATION("authorization"),
    /** {@code "coordinator"}: the group coordinator was not available or still loading. */
    COORDINATOR("coordinator"),
    /** {@code "leader"}: the partition's leader was unknown or had moved (stale metadata). */
    LEADER("leader"),
    /** {@code "interrupted"}: the run was interrupted (shutdown) before the item's answer came. */
    INTERRUPTED("interrupted"),
    /** {@code "no_timestamp"}: the sampled record carries no timestamp (a pre-0.10 message format). */
    NO_TIMESTAMP("no_timestamp"),
    /** {@code "error"}: any other failure; the error's message names it. */
    ERROR("error");

    private final String label;

    ErrorKind(String label) {
        this.label = label;
    }

    /** The wire name, e.g. {@code "timeout"}. */
    public String label() {
        return label;
    }
}
