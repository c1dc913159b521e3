package io.lagsnap.sink.api.model;

/**
 * A partition's offsets read in one cycle.
 *
 * @param low the log start offset (earliest)
 * @param high the high watermark (latest, read_uncommitted)
 * @param lastStable the last stable offset (latest, read_committed): below {@code high} while a transaction is open
 */
public record Watermarks(long low, long high, long lastStable) {
    /** Where a consumer of {@code isolation} stops reading: the last stable offset under read_committed. */
    public long end(Isolation isolation) {
        return isolation == Isolation.READ_COMMITTED ? lastStable : high;
    }
}
