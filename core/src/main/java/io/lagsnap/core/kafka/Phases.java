package io.lagsnap.core.kafka;

import io.lagsnap.sink.api.model.Phase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Times the phases of one cycle, in the order they start. A phase whose calls are in flight alongside another's
 * lasts from issuing its calls until its last answer arrived (or, if it never did, until gathering gave up), so
 * overlapping phases overlap in time and their durations add up to more than the cycle.
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

    /** Issues a phase's calls now; the phase ends when its answers are in, and its results come from join(). */
    <T> InFlight<T> begin(Phase phase, Supplier<InFlight<T>> issue) {
        long start = System.nanoTime();
        synchronized (durations) {
            durations.putIfAbsent(phase, Duration.ZERO);
        }
        InFlight<T> calls = issue.get();
        AtomicLong answeredAt = new AtomicLong();
        calls.answered().whenComplete((v, e) -> answeredAt.set(System.nanoTime()));
        return new InFlight<>(calls.answered(), () -> {
            try {
                return calls.join();
            } finally {
                long end = answeredAt.get() != 0 ? answeredAt.get() : System.nanoTime();
                synchronized (durations) {
                    durations.merge(phase, Duration.ofNanos(end - start), Duration::plus);
                }
            }
        });
    }

    Map<Phase, Duration> durations() {
        synchronized (durations) {
            return new EnumMap<>(durations);
        }
    }
}
