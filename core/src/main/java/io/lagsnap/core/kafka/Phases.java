package io.lagsnap.core.kafka;

import io.lagsnap.sink.api.model.Phase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Times the phases of one cycle, in order. */
final class Phases {
    private final Map<Phase, Duration> durations = new LinkedHashMap<>();

    <T> T time(Phase phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            durations.merge(phase, Duration.ofNanos(System.nanoTime() - start), Duration::plus);
        }
    }

    Map<Phase, Duration> durations() {
        return durations;
    }
}
