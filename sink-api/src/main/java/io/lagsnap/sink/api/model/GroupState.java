package io.lagsnap.sink.api.model;

/** Consumer group states with klag-exporter's numeric codes for {@code kafka_consumergroup_group_state}. */
public enum GroupState {
    UNKNOWN(0, "Unknown"),
    PREPARING_REBALANCE(1, "PreparingRebalance"),
    COMPLETING_REBALANCE(2, "CompletingRebalance"),
    STABLE(3, "Stable"),
    DEAD(4, "Dead"),
    EMPTY(5, "Empty"),
    ASSIGNING(6, "Assigning"),
    RECONCILING(7, "Reconciling");

    private final int code;
    private final String displayName;

    GroupState(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    public int code() {
        return code;
    }

    /** The name Kafka's tools print, e.g. "Stable". */
    public String displayName() {
        return displayName;
    }

    /** Maps Kafka's own state names ("Stable", "STABLE", "PreparingRebalance", ...); anything else is UNKNOWN. */
    public static GroupState fromKafka(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        String n = name.replace("_", "");
        for (GroupState s : values()) {
            if (s.displayName.equalsIgnoreCase(n)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
