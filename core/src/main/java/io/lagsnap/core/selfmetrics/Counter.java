package io.lagsnap.core.selfmetrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A count that only goes up. lagsnap is stateless, so a counter counts within one run: read it as "this many in the
 * last run", not with {@code rate()}. Lock-free, so concurrent sinks and collectors never contend on it.
 */
public final class Counter {
    private final LongAdder value = new LongAdder();

    Counter() {
    }

    public void increment() {
        value.increment();
    }

    public void add(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a counter cannot go down, got " + n);
        }
        value.add(n);
    }

    public long value() {
        return value.sum();
    }
}
