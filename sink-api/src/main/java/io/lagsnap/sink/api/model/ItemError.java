package io.lagsnap.sink.api.model;

/**
 * An error carried per item, as Kafka's Admin client does: one group, topic or partition failed in a phase while
 * the rest of the cycle went on. {@code kind} is a short stable word (e.g. "timeout", "authorization").
 */
public record ItemError(String phase, String item, String kind, String message) {
}
