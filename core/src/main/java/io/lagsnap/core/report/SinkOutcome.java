package io.lagsnap.core.report;

import java.time.Duration;

/** What one sink did in a run. */
public record SinkOutcome(String name, String type, boolean delivered, String detail, Duration duration) {
}
