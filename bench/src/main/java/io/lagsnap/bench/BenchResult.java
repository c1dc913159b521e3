package io.lagsnap.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run: the machine, what each subject is, the settings and every sweep point's measurements; written
 * as {@code bench/results/<date>.json}, which so explains itself.
 *
 * @param repeat timed runs per in-process subject and sweep point (cold subprocesses run once)
 */
public record BenchResult(String startedAt, Machine machine, Map<Subject, String> subjects, int repeat,
                          List<PointResult> points) {
    public BenchResult {
        subjects = new EnumMap<>(subjects);
        points = List.copyOf(points);
    }

    public BenchResult(String startedAt, Machine machine, int repeat, List<PointResult> points) {
        this(startedAt, machine, descriptions(), repeat, points);
    }

    private static Map<Subject, String> descriptions() {
        Map<Subject, String> out = new EnumMap<>(Subject.class);
        Arrays.stream(Subject.values()).forEach(s -> out.put(s, s.description()));
        return out;
    }
}
