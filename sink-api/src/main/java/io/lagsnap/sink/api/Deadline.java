package io.lagsnap.sink.api;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A point on the monotonic clock that bounds a run, a phase or a sink. Every blocking call takes its timeout from
 * {@link #cap(Duration)}, so nothing outlives the run's budget. A deadline may also be cut short by a stop signal
 * (SIGTERM): it then counts as expired, and so does every deadline derived from it.
 */
public final class Deadline {
    private static final BooleanSupplier NEVER = () -> false;

    private final long endNanos;
    private final BooleanSupplier stopped;

    private Deadline(long endNanos, BooleanSupplier stopped) {
        this.endNanos = endNanos;
        this.stopped = stopped;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), NEVER);
    }

    /** This deadline, also expired as soon as {@code signal} says so. */
    public Deadline orWhen(BooleanSupplier signal) {
        return new Deadline(endNanos, () -> stopped.getAsBoolean() || signal.getAsBoolean());
    }

    /** Time left, never negative; zero once stopped. */
    public Duration remaining() {
        if (stopped.getAsBoolean()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(endNanos - System.nanoTime(), 0));
    }

    public boolean expired() {
        return remaining().isZero();
    }

    /** The smaller of {@code timeout} and the time left. */
    public Duration cap(Duration timeout) {
        Duration left = remaining();
        return timeout.compareTo(left) < 0 ? timeout : left;
    }

    /** A deadline {@code margin} earlier, e.g. to leave time for delivery after collection. */
    public Deadline minus(Duration margin) {
        return new Deadline(endNanos - margin.toNanos(), stopped);
    }

    /** Whichever comes first: this deadline or {@code budget} from now. */
    public Deadline within(Duration budget) {
        long other = System.nanoTime() + budget.toNanos();
        return new Deadline(other - endNanos < 0 ? other : endNanos, stopped);
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining().toMillis() + "ms left]";
    }
}
