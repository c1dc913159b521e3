package io.lagsnap.core.run;

import java.time.Duration;

/**
 * A point on the monotonic clock that bounds a run, a phase or a sink. Every blocking call takes its timeout from
 * {@link #cap(Duration)}, so nothing outlives the run's budget.
 */
public final class Deadline {
    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(endNanos - System.nanoTime(), 0));
    }

    public boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** The smaller of {@code timeout} and the time left. */
    public Duration cap(Duration timeout) {
        Duration left = remaining();
        return timeout.compareTo(left) < 0 ? timeout : left;
    }

    /** A deadline {@code margin} earlier, e.g. to leave time for delivery after collection. */
    public Deadline minus(Duration margin) {
        return new Deadline(endNanos - margin.toNanos());
    }

    /** Whichever comes first: this deadline or {@code budget} from now. */
    public Deadline within(Duration budget) {
        long other = System.nanoTime() + budget.toNanos();
        return other - endNanos < 0 ? new Deadline(other) : this;
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + "ms left]";
    }
}
