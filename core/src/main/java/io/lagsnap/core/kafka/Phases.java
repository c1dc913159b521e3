package io.lagsnap.core.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Times the phases of one cycle, in the order they start. A phase whose calls are in flight alongside another's
 * lasts from issuing its calls until its last answer arrived (or, if it never did, until gathering gave up), so
 * overlapping phases overlap in time and their durations add up to more than the cycle.
 */
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

    /** Issues a phase's calls now; the phase ends when its answers are in, and its results come from join(). */
    <T> InFlight<T> begin(String phase, Supplier<InFlight<T>> issue) {
        long start = System.nanoTime();
        durations.putIfAbsent(phase, Duration.ZERO);
        InFlight<T> calls = issue.get();
        AtomicLong answeredAt = new AtomicLong();
        calls.answered().whenComplete((v, e) -> answeredAt.set(System.nanoTime()));
        return new InFlight<>(calls.answered(), () -> {
            try {
                return calls.join();
            } finally {
                long end = answeredAt.get() != 0 ? answeredAt.get() : System.nanoTime();
                durations.merge(phase, Duration.ofNanos(end - start), Duration::plus);
            }
        });
    }

    Map<String, Duration> durations() {
        return durations;
    }
}
