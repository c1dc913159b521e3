package io.lagsnap.core.model;

import java.time.Instant;
import java.util.List;

/**
 * The one immutable result of a run, handed to every sink.
 *
 * @param runId unique per invocation; object keys and reports carry it
 * @param startedAt when the run began
 * @param shard the shard this run covered, or {@link Shard#ALL}
 */
public record Snapshot(String runId, Instant startedAt, Shard shard, List<ClusterSnapshot> clusters) {
    public Snapshot {
        clusters = List.copyOf(clusters);
    }
}
