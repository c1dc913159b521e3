package io.lagsnap.core.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Times the phases of one cycle, in order. */
final class Phases {
    private final Map<String, Duration> durations = new LinkedHashMap<>();

    <T> T time(String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            durations.merge(phase, Duration.ofNanos(System.nanoTime() - start), Duration::plus);
        }
    }

    Map<String, Duration> durations() {
        return durations;
    }
}
