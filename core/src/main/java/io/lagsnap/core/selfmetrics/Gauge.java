package io.lagsnap.core.selfmetrics;

import java.util.concurrent.atomic.AtomicLong;

/** A value that is set: a duration, a timestamp, a 0/1 outcome. Lock-free: the double's bits in an AtomicLong. */
public final class Gauge {
    private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0.0));

    Gauge() {
    }

    public void set(double value) {
        bits.set(Double.doubleToRawLongBits(value));
    }

    public double value() {
        return Double.longBitsToDouble(bits.get());
    }
}
