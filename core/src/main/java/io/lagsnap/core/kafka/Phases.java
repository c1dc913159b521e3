package io.lagsnap.core.kafka;

import io.lagsnap.sink.api.model.Phase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Times the phases of one cycle, listed in cycle order. Thread-safe: phases that overlap (describe beside offsets,
 * configs beside watermarks) are timed from two threads, each its own time.
 */
final class Phases {
    private final Map<Phase, Duration> durations = new EnumMap<>(Phase.class);

    <T> T time(Phase phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            synchronized (durations) {
                durations.merge(phase, took, Duration::plus);
            }
        }
    }

    Map<Phase, Duration> durations() {
        synchronized (durations) {
            return new EnumMap<>(durations);
        }
    }
}
