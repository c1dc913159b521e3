package io.lagsnap.bench;

import java.util.List;

/**
 * One benchmark run: the machine, the settings and every sweep point's measurements; written as
 * {@code bench/results/<date>.json}.
 *
 * @param repeat timed runs per in-process subject and sweep point (cold subprocesses run once)
 */
public record BenchResult(String startedAt, Machine machine, int repeat, List<PointResult> points) {
    public BenchResult {
        points = List.copyOf(points);
    }
}
