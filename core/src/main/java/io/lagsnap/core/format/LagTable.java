package io.lagsnap.core.format;

import io.lagsnap.sink.api.model.ClusterSnapshot;
import io.lagsnap.sink.api.model.GroupType;
import io.lagsnap.sink.api.model.PartitionLag;
import io.lagsnap.sink.api.model.Snapshot;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** A table for a person at a terminal: per cluster, rows sorted by lag, worst first. */
public final class LagTable {
    private static final String[] HEADER = {"GROUP", "STATE", "TOPIC", "PARTITION", "COMMITTED", "LOW", "HIGH",
        "LAG", "LAG_SECONDS", "MEMBER", "FLAGS"};

    private LagTable() {
    }

    public static void write(Snapshot snapshot, PrintStream out) {
        for (ClusterSnapshot c : snapshot.clusters()) {
            // the counts and their names as the run report has them: partitions are distinct topic partitions
            out.printf(Locale.ROOT, "cluster %s: %s, %d groups, %d partitions, %d group-partition rows, %d ms%s%n",
                    c.name(), c.up() ? "up" : "DOWN (" + c.error() + ")", c.groups().size(), c.partitions().size(),
                    c.rows().size(), c.duration().toMillis(), c.partial() ? ", PARTIAL" : "");
            if (c.rows().isEmpty()) {
                continue;
            }
            List<PartitionLag> rows = new ArrayList<>(c.rows());
            rows.sort(Comparator.comparingLong((PartitionLag r) -> r.hasPosition() ? r.reportedLag() : -1).reversed()
                    .thenComparing(PartitionLag::group).thenComparing(PartitionLag::topic)
                    .thenComparingInt(PartitionLag::partition));
            List<String[]> cells = new ArrayList<>();
            cells.add(HEADER);
            for (PartitionLag r : rows) {
                cells.add(new String[] {printable(r.group()), r.groupState().displayName(), r.topic(),
                    Integer.toString(r.partition()), r.hasPosition() ? Long.toString(r.committedOffset()) : "-",
                    Long.toString(r.lowWatermark()), Long.toString(r.highWatermark()),
                    r.hasPosition() ? Long.toString(r.reportedLag()) : "-",
                    r.lagSeconds() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.lagSeconds()),
                    r.member().clientId().isEmpty() ? "-" : printable(r.member().clientId()), flags(r)});
            }
            int[] widths = new int[HEADER.length];
            for (String[] row : cells) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : cells) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < row.length; i++) {
                    line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
                }
                out.println(line.toString().stripTrailing());
            }
        }
        out.flush();
    }

    /**
     * Group names and client ids may hold any character: control characters (line breaks, terminal escape
     * sequences) are shown escaped, so a name can neither split or forge a row nor drive the terminal.
     */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (!Character.isISOControl(c)) {
                b.append(c);
            } else {
                b.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format(Locale.ROOT, "\\u%04x", (int) c);
                });
            }
        }
        return b.toString();
    }

    private static String flags(PartitionLag r) {
        List<String> f = new ArrayList<>();
        if (r.dataLossDetected()) {
            f.add("DATA_LOSS(" + r.messagesLost() + ")");
        }
        if (r.compactionDetected()) {
            f.add("compacted");
        }
        if (!r.hasPosition()) {
            f.add("never_committed(if_reset=" + r.lagIfReset() + ")");
        }
        if (r.groupType() == GroupType.SHARE || r.groupType() == GroupType.STREAMS) {
            f.add(r.groupType().label());
        }
        return f.isEmpty() ? "" : String.join(",", f);
    }
}
