package io.lagsnap.core.trends;

/**
 * A window's status, with the numeric code of {@code kafka_consumergroup_group_status}. Codes rise with severity
 * (unlike Burrow's, where OK=1, WARN=2, ERR=3, STOP=4, STALL=5, REWIND=6), so "worst" is the highest code and an
 * alert can say {@code >= 3}.
 */
public enum TrendStatus {
    OK(0),
    WARN(1),
    REWIND(2),
    STALL(3),
    STOP(4),
    ERR(5);

    private final int code;

    TrendStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TrendStatus worst(TrendStatus a, TrendStatus b) {
        return a.code >= b.code ? a : b;
    }
}
