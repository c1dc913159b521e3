package io.lagsnap.core.config;

import java.net.URI;
import java.time.Duration;

/**
 * The {@code [run]} table.
 *
 * @param deadline the whole invocation's time budget
 * @param state where each run keeps the trend window the next run reads ({@code file:///var/lib/lagsnap}); null:
 *     no trends
 */
public record RunConfig(Duration deadline, URI state) {
    public static final RunConfig DEFAULTS = new RunConfig(Duration.ofSeconds(60), null);
}
