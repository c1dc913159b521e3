package io.lagsnap.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Everything measured on one sweep point's cluster. */
public record PointResult(SweepPoint point, int topics, long rows, Map<Subject, Measurement> measurements) {
    public PointResult {
        measurements = measurements.isEmpty() ? new EnumMap<>(Subject.class) : new EnumMap<>(measurements);
    }

    public Optional<Measurement> get(Subject subject) {
        return Optional.ofNullable(measurements.get(subject));
    }

    /** How many times faster {@code fast} was than {@code slow} (median over median), if both were measured. */
    public Optional<Double> speedUp(Subject slow, Subject fast) {
        return get(slow).flatMap(s -> get(fast).map(f -> s.medianMs() / (double) Math.max(1, f.medianMs())));
    }
}
