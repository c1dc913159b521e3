package io.lagsnap.core.config;

import java.net.URI;
import java.time.Duration;

/**
 * The {@code [run]} table.
 *
 * @param deadline the whole invocation's time budget
 * @param state where each run keeps the trend window the next run reads ({@code file:///var/lib/lagsnap},
 *     {@code s3://bucket/prefix}, {@code gs://bucket/prefix}); {@link #NO_STATE} ({@code "none"}): no trends; null
 *     (unset): next to the first {@code object_store} sink's history, or no trends without one
 */
public record RunConfig(Duration deadline, URI state) {
    /** {@code state = "none"}: trends are off, even with an object_store sink. */
    public static final URI NO_STATE = URI.create("none");
    public static final RunConfig DEFAULTS = new RunConfig(Duration.ofSeconds(60), null);
}
