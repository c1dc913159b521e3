package io.lagsnap.sink.api.model;

import java.time.Instant;

/**
 * A series' lag at one snapshot: what a chart draws.
 *
 * @param lag records behind (summed over the partitions above partition level)
 * @param lagSeconds the largest time lag of the series' partitions then; null when no record timestamp was read
 */
public record LagPoint(Instant time, long lag, Double lagSeconds) {
}
