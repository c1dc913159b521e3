package io.lagsnap.sink.objectstore;

import io.lagsnap.sink.api.model.Shard;
import io.lagsnap.sink.api.state.StateLocation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Hive-style keys Athena and BigQuery read directly:
 * {@code PREFIX/cluster=NAME/dt=YYYY-MM-DD/hour=HH/lagsnap-YYYYMMDDTHHMMSSZ-RUNID.ndjson.gz}, all in UTC from the
 * cluster's snapshot time. The run id makes every key unique, so a history object is written once and never
 * replaced.
 *
 * <p>Cluster names are percent-encoded (UTF-8, RFC 3986): letters, digits and {@code - . _ ~} stay as they are,
 * everything else becomes {@code %XX}, e.g. "prod eu/1" → "prod%20eu%2F1". Hive decodes {@code %XX} in partition
 * values the same way, and a name can never add a path level or an {@code =}.
 *
 * <p>Each run's {@link GroupRollup} goes under the cluster's own {@code rollup/} tree with the same dt/hour
 * partitions and file stem: {@code PREFIX/cluster=NAME/rollup/dt=YYYY-MM-DD/hour=HH/lagsnap-...-RUNID.json.gz}.
 * Outside the {@code cluster=/dt=/hour=} template and not ending in {@code .ndjson.gz}, it is never read as rows by
 * the Athena and BigQuery tables.
 */
final class HistoryLayout {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private HistoryLayout() {
    }

    static final String ROWS_SUFFIX = ".ndjson.gz";
    static final String ROLLUP_DIR = "rollup/";
    static final String ROLLUP_SUFFIX = ".json.gz";

    static String historyKey(String prefix, String cluster, Instant time, String runId) {
        return clusterDir(prefix, cluster) + runPath(time, runId) + ROWS_SUFFIX;
    }

    static String rollupKey(String prefix, String cluster, Instant time, String runId) {
        return clusterDir(prefix, cluster) + ROLLUP_DIR + runPath(time, runId) + ROLLUP_SUFFIX;
    }

    static String runPath(Instant time, String runId) {
        return "dt=" + DAY.format(time) + "/hour=" + HOUR.format(time) + "/lagsnap-" + STAMP.format(time) + "-"
                + runId;
    }

    /** Sharded runs each see part of the groups, so each shard keeps its own latest summary. */
    static String latestKey(String prefix, String cluster, Shard shard) {
        return clusterDir(prefix, cluster) + shard.fileName("latest", ".json");
    }

    /** The cluster's lag status page, one per shard like the latest summary. */
    static String pageKey(String prefix, String cluster, Shard shard) {
        return clusterDir(prefix, cluster) + shard.fileName("index", ".html");
    }

    static String encodeClusterName(String cluster) {
        return StateLocation.encodeCluster(cluster);
    }

    static String clusterDir(String prefix, String cluster) {
        return (prefix.isEmpty() ? "" : prefix + "/") + "cluster=" + encodeClusterName(cluster) + "/";
    }
}
