package io.lagsnap.sink.api.model;

/**
 * An error carried per item, as Kafka's Admin client does: one group, topic or partition failed in a phase while
 * the rest of the cycle went on.
 *
 * @param phase the phase the item failed in
 * @param item the group, topic or partition ({@code topic-partition}; {@code topic-partition@offset} when sampling)
 * @param kind why it failed, as a short stable word ({@link ErrorKind#label()})
 * @param message the failure's own description (secrets scrubbed)
 */
public record ItemError(Phase phase, String item, ErrorKind kind, String message) {
}
