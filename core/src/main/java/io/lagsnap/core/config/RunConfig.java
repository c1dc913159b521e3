package io.lagsnap.core.config;

import java.time.Duration;

/** The {@code [run]} table: the whole invocation's time budget. */
public record RunConfig(Duration deadline) {
    public static final RunConfig DEFAULTS = new RunConfig(Duration.ofSeconds(60));
}
