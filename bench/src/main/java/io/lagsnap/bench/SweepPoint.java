package io.lagsnap.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One cluster size of the sweep: {@code groups} consumer groups, each committed on {@code partitions} partitions. */
public record SweepPoint(int groups, int partitions) {
    public static final List<SweepPoint> DEFAULT = parseList("10x10,100x50,1000x50");
    public static final List<SweepPoint> QUICK = parseList("10x10,100x50");

    public SweepPoint {
        if (groups < 1 || partitions < 1) {
            throw new IllegalArgumentException("groups and partitions must be at least 1, got " + groups + "x"
                    + partitions);
        }
    }

    /** {@code "1000x50"}. */
    public static SweepPoint parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x", -1);
        try {
            if (parts.length == 2) {
                return new SweepPoint(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // reported below, with the expected form
        }
        throw new IllegalArgumentException("sweep point \"" + text + "\" is not GROUPSxPARTITIONS, e.g. 1000x50");
    }

    /** {@code "10x10,100x50"}. */
    public static List<SweepPoint> parseList(String text) {
        return Arrays.stream(text.split(",")).map(SweepPoint::parse).toList();
    }

    public long groupPartitions() {
        return (long) groups * partitions;
    }

    @Override
    public String toString() {
        return groups + "x" + partitions;
    }

    /** {@code "1,000 × 50"}, for tables. */
    public String label() {
        return String.format(Locale.ROOT, "%,d × %,d", groups, partitions);
    }
}
