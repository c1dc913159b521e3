package io.lagsnap.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs of one subject at one sweep point.
 *
 * @param runsMs wall time of each timed run, in run order
 * @param medianMs the median of {@code runsMs}
 * @param requests requests the broker received during the last run, by API (inter-node traffic left out)
 * @param rows group-partition rows the subject reported (a cross-check: every subject must see all of them)
 * @param peakHeapKb highest heap occupancy (subprocesses only: before each GC and at exit), else null
 * @param peakRssKb the process's VmHWM (subprocesses only), else null
 */
public record Measurement(Subject subject, List<Long> runsMs, long medianMs, Map<String, Long> requests, long rows,
                          Long peakHeapKb, Long peakRssKb) {
    public Measurement {
        runsMs = List.copyOf(runsMs);
        requests = new TreeMap<>(requests);
    }

    public static Measurement of(Subject subject, List<Long> runsMs, Map<String, Long> requests, long rows,
                                 Long peakHeapKb, Long peakRssKb) {
        return new Measurement(subject, runsMs, median(runsMs), requests, rows, peakHeapKb, peakRssKb);
    }

    public long totalRequests() {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    static long median(List<Long> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<Long> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
