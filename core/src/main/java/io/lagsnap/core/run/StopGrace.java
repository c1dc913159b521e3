package io.lagsnap.core.run;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A stop signal (SIGTERM) and the grace that follows it: {@link #signalled()} says a stop was asked for (and notes
 * when it was first seen); {@link #over()} says the grace is spent, after which every sink is cut off. The grace
 * ({@value #GRACE_SECONDS} s) plus the time to write the report stays well below Kubernetes' default
 * terminationGracePeriodSeconds of 30 s, which the manifests keep.
 */
final class StopGrace {
    static final int GRACE_SECONDS = 5;
    static final Duration GRACE = Duration.ofSeconds(GRACE_SECONDS);

    private final BooleanSupplier stop;
    private final Duration grace;
    private volatile long seenAt;
    private volatile boolean seen;

    StopGrace(BooleanSupplier stop, Duration grace) {
        this.stop = stop;
        this.grace = grace;
    }

    boolean signalled() {
        if (!seen && stop.getAsBoolean()) {
            seenAt = System.nanoTime();
            seen = true;
        }
        return seen;
    }

    boolean over() {
        return signalled() && System.nanoTime() - seenAt >= grace.toNanos();
    }
}
