package io.lagsnap.core.sink;

import io.lagsnap.core.model.Snapshot;
import io.lagsnap.core.run.Deadline;
import io.lagsnap.core.run.RunReport;

/**
 * Delivers a snapshot somewhere. Sinks get the whole immutable snapshot once, run concurrently with the other sinks,
 * and must return (or give up) before the deadline. An exception counts as a failed delivery; it never stops the
 * other sinks.
 */
public interface Sink extends AutoCloseable {
    Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception;

    /**
     * Called once after every sink's {@link #deliver} returned, with the run's report: its
     * {@link RunReport#metrics()} (each sink's outcome, the run's duration and success) exist only then. Sinks that
     * publish metrics publish these too; a sink whose delivery was abandoned at the deadline is not called. An
     * exception marks this sink's outcome failed. Does nothing unless a sink overrides it.
     */
    default void deliverReport(RunReport report, Deadline deadline) throws Exception {
    }

    /** Flush and release clients. Called once, after delivery and the report, even when delivery failed. */
    @Override
    default void close() throws Exception {
    }
}
