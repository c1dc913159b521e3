package io.lagsnap.sink.api.config;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The one check of a configured label name (cluster labels, grouping keys), shared by the loader and the sinks. */
public final class LabelNames {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** The labels lagsnap's own metrics carry; a configured label of the same name would overwrite them. */
    public static final Set<String> METRIC_LABELS = Set.of("cluster_name", "group", "topic", "partition",
            "member_host", "consumer_id", "client_id", "compaction_detected", "data_loss_detected", "phase",
            "kind", "sink", "sink_type", "shard");

    private LabelNames() {
    }

    /**
     * @param at       the key path for the message
     * @param reserved names the caller sets itself, besides {@link #METRIC_LABELS}
     */
    public static void check(String at, String name, Set<String> reserved) {
        if (!NAME.matcher(name).matches() || name.startsWith("__")) {
            throw new ConfigException(at + ": \"" + name + "\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, "
                    + "not starting with __)");
        }
        if (METRIC_LABELS.contains(name) || reserved.contains(name)) {
            Set<String> all = new TreeSet<>(METRIC_LABELS);
            all.addAll(reserved);
            throw new ConfigException(at + ": \"" + name + "\" is a label lagsnap sets itself (reserved: "
                    + String.join(", ", all) + ")");
        }
    }
}
