package io.lagsnap.core.trends;

import java.util.List;

/**
 * The status rules, in the order they are tried: the first that holds gives the window's status. The last rule
 * always holds, so the rules are total. Burrow's rules adapted to a stored window of snapshots (docs/trends.md).
 */
public enum TrendRule {
    /** A partition lost data: its committed offset is below the log start. */
    DATA_LOSS(TrendStatus.ERR),
    /** The committed offset went backwards between two points of the window. */
    REWOUND(TrendStatus.REWIND),
    /** Lag was 0 at some point of the window: the consumer keeps up. */
    CAUGHT_UP(TrendStatus.OK),
    /** No commit moved, lag above 0, no members, and the offset unchanged for longer than the STOP threshold. */
    STOPPED(TrendStatus.STOP),
    /** No commit moved across the window (which has two points or more) and lag stayed above 0. */
    STALLED(TrendStatus.STALL),
    /** Lag grew at every step of the window while the commits advanced. */
    FALLING_BEHIND(TrendStatus.WARN),
    /** Anything else: commits advance and lag is decreasing or not growing at every step. */
    KEEPING_UP(TrendStatus.OK);

    private final TrendStatus status;

    TrendRule(TrendStatus status) {
        this.status = status;
    }

    public TrendStatus status() {
        return status;
    }

    /** Whether this rule holds for the window, on its own (without the rules before it). */
    public boolean holds(Window w, TrendBounds bounds) {
        return switch (this) {
            case DATA_LOSS -> w.dataLoss();
            case REWOUND -> rewound(w.points());
            case CAUGHT_UP -> w.points().stream().anyMatch(p -> p.lag() == 0);
            case STOPPED -> commitsStill(w) && !w.members() && w.last().lag() > 0
                    && w.committedUnchangedFor().compareTo(bounds.stopAfter()) > 0;
            case STALLED -> commitsStill(w) && w.last().lag() > 0;
            case FALLING_BEHIND -> lagGrowsAtEveryStep(w.points()) && w.last().committed() > w.first().committed();
            case KEEPING_UP -> true;
        };
    }

    /** The first rule that holds: every window gets exactly one. */
    public static TrendRule first(Window w, TrendBounds bounds) {
        for (TrendRule rule : values()) {
            if (rule.holds(w, bounds)) {
                return rule;
            }
        }
        throw new AssertionError("KEEPING_UP always holds");
    }

    static boolean rewound(List<TrendPoint> points) {
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).committed() < points.get(i - 1).committed()) {
                return true;
            }
        }
        return false;
    }

    /** Two points or more, all with the same committed offset. */
    static boolean commitsStill(Window w) {
        return w.points().size() >= 2 && w.points().stream().allMatch(p -> p.committed() == w.first().committed());
    }

    static boolean lagGrowsAtEveryStep(List<TrendPoint> points) {
        if (points.size() < 2) {
            return false;
        }
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).lag() <= points.get(i - 1).lag()) {
                return false;
            }
        }
        return true;
    }
}
