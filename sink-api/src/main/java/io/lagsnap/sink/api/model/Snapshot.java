package io.lagsnap.sink.api.model;

import io.lagsnap.sink.api.metrics.MetricFamily;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one immutable result of a run, handed to every sink.
 *
 * @param runId unique per invocation; object keys and reports carry it
 * @param startedAt when the run began
 * @param shard the shard this run covered, or {@link Shard#ALL}
 * @param clusters each cluster's result, with its metric families
 */
public record Snapshot(String runId, Instant startedAt, Shard shard, List<ClusterSnapshot> clusters) {
    public Snapshot {
        clusters = List.copyOf(clusters);
    }

    /** Every cluster's metric families, merged by name (an exposition wants one family per name). */
    public List<MetricFamily> families() {
        Map<String, List<MetricFamily.Sample>> samples = new LinkedHashMap<>();
        Map<String, MetricFamily> first = new LinkedHashMap<>();
        for (ClusterSnapshot cluster : clusters) {
            for (MetricFamily f : cluster.families()) {
                first.putIfAbsent(f.name(), f);
                samples.computeIfAbsent(f.name(), n -> new ArrayList<>()).addAll(f.samples());
            }
        }
        List<MetricFamily> out = new ArrayList<>();
        first.forEach((name, f) -> out.add(new MetricFamily(name, f.type(), f.help(), samples.get(name))));
        return out;
    }
}
