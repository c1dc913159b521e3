package io.lagsnap.sink.api;

import io.lagsnap.sink.api.metrics.MetricFamily;
import io.lagsnap.sink.api.model.Snapshot;
import java.util.List;

/**
 * Delivers a run's snapshot somewhere.
 *
 * <p>The contract:
 * <ul>
 *   <li><b>Threading.</b> The runner calls one sink from one thread at a time, in the order {@link #deliver},
 *   {@link #deliverReport}, {@link #close}; different sinks run in parallel, so a sink shares no mutable state with
 *   another.</li>
 *   <li><b>Deadline.</b> Every blocking call takes its timeout from {@link Deadline#cap}. A sink still busy when the
 *   deadline passes is interrupted and counted as failed; it is not called again except for {@link #close}.</li>
 *   <li><b>Failure.</b> Return {@link Delivery#failed} with a short detail, or throw: both count as a failed delivery
 *   of this sink only. The other sinks still deliver. A detail names what failed (host, bucket, key), never a secret
 *   or a record payload.</li>
 *   <li><b>Close.</b> Releases clients and threads; called once, even when delivery failed or was interrupted, and
 *   must not block past a few hundred milliseconds.</li>
 * </ul>
 */
public interface Sink extends AutoCloseable {
    /** Delivers the snapshot. The snapshot and its metric families are immutable and shared with other sinks. */
    Delivery deliver(Snapshot snapshot, Deadline deadline) throws Exception;

    /**
     * Called once after every sink's {@link #deliver} returned, with the run's own metric families (each sink's
     * outcome, the run's duration and exit code), which exist only then. Sinks that publish metrics publish these
     * too; a sink whose delivery was abandoned at the deadline is not called. A failed delivery, or an exception,
     * marks this sink failed; a delivered one with a detail replaces the first round's detail in the run report
     * (what was finally written), and {@link Delivery#unchanged} keeps it. Does nothing unless a sink overrides it.
     *
     * @param runId the run's id, as in {@link Snapshot#runId()}
     * @param runMetrics the run's {@code lagsnap_run_*} and {@code lagsnap_sink_*} families
     */
    default Delivery deliverReport(String runId, List<MetricFamily> runMetrics, Deadline deadline) throws Exception {
        return Delivery.unchanged();
    }

    /** Flush and release clients. Called once, after delivery and the report, even when delivery failed. */
    @Override
    default void close() throws Exception {
    }
}
