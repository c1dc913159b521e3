package io.lagsnap.core.trends;

import io.lagsnap.sink.api.model.Granularity;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trend object of one cluster: every series' bounded history, read at the start of a run, folded with the new
 * snapshot by {@link Trends#fold} and written back ({@code cluster=NAME/trend.json.gz}, see {@link TrendCodec}).
 *
 * @param time the snapshot time of the latest fold, {@code null} in an empty state
 * @param series by key, in key order; group series and the topic or partition series of {@code granularity}
 */
public record TrendState(String cluster, Granularity granularity, Instant time, Map<SeriesKey, Series> series) {
    public TrendState {
        series = Collections.unmodifiableMap(new TreeMap<>(series));
    }

    /** The state a run starts from when the trend object is missing, corrupt or of a newer version. */
    public static TrendState empty(String cluster, Granularity granularity) {
        return new TrendState(cluster, granularity, null, Map.of());
    }

    /** Series the latest fold saw (absent ones are kept until they age out, but get no trend). */
    public List<Series> current() {
        return series.values().stream().filter(s -> s.lastSeen().equals(time)).toList();
    }
}
