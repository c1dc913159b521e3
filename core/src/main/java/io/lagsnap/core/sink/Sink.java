package io.lagsnap.core.sink;

import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.run.Deadline;

/**
 * Delivers a snapshot somewhere. Sinks get the whole immutable snapshot once, run concurrently with the other sinks,
 * and must return (or give up) before the deadline. An exception counts as a failed delivery; it never stops the
 * other sinks.
 */
public interface Sink extends AutoCloseable {
    Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception;

    /** Flush and release clients. Called once, after delivery, even when delivery failed. */
    @Override
    default void close() throws Exception {
    }
}
