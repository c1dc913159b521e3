package io.lagsnap.core.metrics;

import io.lagsnap.core.trends.Trend;
import io.lagsnap.core.trends.TrendKeeper;
import io.lagsnap.core.trends.TrendStatus;
import io.lagsnap.sink.api.metrics.Labels;

/**
 * The trend families of one cluster, per group: rates and time to catch up from the trend window, the status with
 * its numeric code, and how often a run had to start a new trend state. A group with one point so far has a status
 * but no rates and no ETA (absent, not 0).
 */
final class TrendFamilies {
    static final String CONSUME_RATE = "kafka_consumergroup_group_consume_rate";
    static final String PRODUCE_RATE = "kafka_consumergroup_group_produce_rate";
    static final String ETA = "kafka_consumergroup_group_catchup_eta_seconds";
    static final String STATUS = "kafka_consumergroup_group_status";
    static final String RESETS = "lagsnap_trend_state_resets_total";

    private TrendFamilies() {
    }

    static void add(TrendKeeper.Kept kept, ClusterFamilies f) {
        var consume = f.gauge(CONSUME_RATE, "Records per second the group committed over the trend window", "group");
        var produce = f.gauge(PRODUCE_RATE,
                "Records per second written to the group's partitions over the trend window", "group");
        var eta = f.gauge(ETA, "Seconds until the group's lag reaches 0 at the window's rates; +Inf when it "
                + "does not gain", "group");
        var status = f.gauge(STATUS, "The group's trend status: " + codes() + "; the status label names it",
                "group", "status");
        for (Trend t : kept.results().groups()) {
            String group = t.key().group();
            if (t.consumeRate() != null) {
                Labels labels = consume.labels(group);
                consume.add(t.consumeRate(), labels);
                produce.add(t.produceRate(), labels);
                eta.add(t.etaSeconds(), labels);
            }
            status.add(t.status().code(), group, t.status().name());
        }
        if (kept.reset() != null) {
            f.counter(RESETS, "Runs that started a new trend state because the stored one was missing, corrupt or "
                    + "of a newer version", "reason").add(1, kept.reset());
        }
    }

    private static String codes() {
        StringBuilder b = new StringBuilder();
        for (TrendStatus s : TrendStatus.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(s.code()).append(' ').append(s.name());
        }
        return b.toString();
    }
}
