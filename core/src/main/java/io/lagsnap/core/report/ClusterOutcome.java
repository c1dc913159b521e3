package io.lagsnap.core.report;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.ItemError;
import io.lagsnap.sink.api.model.Phase;
import io.lagsnap.sink.api.model.SamplingStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What collection did for one cluster, as the run report shows it. {@code partitions} counts distinct topic
 * partitions (those the kept groups commit to or are assigned, whose watermarks were read); {@code rows} counts
 * group-partition pairs with a committed offset. The stdout table's header uses the same two words.
 */
public record ClusterOutcome(String name, boolean up, boolean partial, String error, int groups, int partitions,
                             int rows, Duration duration, Map<Phase, Duration> phases, long adminRequests,
                             SamplingStats sampling, List<ItemError> errors) {
    public static ClusterOutcome of(ClusterSnapshot c) {
        return new ClusterOutcome(c.name(), c.up(), c.partial(), c.error(), c.groups().size(), c.partitions().size(),
                c.rows().size(), c.duration(), c.phaseDurations(), c.adminRequests(), c.sampling(), c.errors());
    }
}
