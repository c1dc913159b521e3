package io.lagsnap.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/** Renders a {@link BenchResult} as the Markdown tables the README shows (and the benchmark prints). */
public final class ResultTable {
    /** Request columns in the order of a lagsnap cycle's phases; anything else follows alphabetically. */
    private static final List<String> API_ORDER = List.of("ListGroups", "ConsumerGroupDescribe", "DescribeGroups",
            "OffsetFetch", "ListOffsets", "DescribeConfigs", "FetchConsumer", "FindCoordinator", "Metadata",
            "DescribeCluster", "ApiVersions");
    private static final List<Subject> REQUEST_ROWS = List.of(Subject.LAGSNAP_CYCLE,
            Subject.LAGSNAP_CYCLE_NO_TIME_LAG, Subject.KAFKA_DESCRIBE);
    private static final String NONE = "–";

    private ResultTable() {
    }

    public static String markdown(BenchResult result) {
        StringBuilder out = new StringBuilder();
        Machine m = result.machine();
        out.append("Machine: ").append(m.summary()).append(". Load average (1/5/15 min) ").append(m.loadAtStart())
                .append(" at start, ").append(m.loadAtEnd()).append(" at end. ").append(result.startedAt())
                .append(".\n\n");
        times(result, out);
        out.append('\n');
        requests(result, out);
        out.append('\n');
        memory(result, out);
        return out.toString();
    }

    private static void times(BenchResult result, StringBuilder out) {
        out.append("In-process, warm JVM (wall time, median of ").append(result.repeat()).append(" runs):\n\n");
        row(out, "groups × partitions", Subject.LAGSNAP_CYCLE.label(), Subject.LAGSNAP_CYCLE_NO_TIME_LAG.label(),
                Subject.LAGSNAP_CYCLE_PARTITION_SERIES.label(), Subject.KAFKA_DESCRIBE.label(), "speed-up");
        out.append("|---|--:|--:|--:|--:|--:|\n");
        for (PointResult p : result.points()) {
            row(out, p.point().label(), ms(p, Subject.LAGSNAP_CYCLE), ms(p, Subject.LAGSNAP_CYCLE_NO_TIME_LAG),
                    ms(p, Subject.LAGSNAP_CYCLE_PARTITION_SERIES), ms(p, Subject.KAFKA_DESCRIBE),
                    ratio(p.speedUp(Subject.KAFKA_DESCRIBE, Subject.LAGSNAP_CYCLE)));
        }
        out.append("\nCold, a fresh JVM per run as a CronJob or kafka-consumer-groups.sh runs (JVM start to exit, "
                + "one run each):\n\n");
        row(out, "groups × partitions", Subject.LAGSNAP_CLI_PLAIN.label(), Subject.LAGSNAP_CLI_TUNED.label(),
                Subject.LAGSNAP_CLI_TUNED_PARTITION_SERIES.label(), Subject.KAFKA_DESCRIBE_CLI.label(), "speed-up");
        out.append("|---|--:|--:|--:|--:|--:|\n");
        for (PointResult p : result.points()) {
            row(out, p.point().label(), ms(p, Subject.LAGSNAP_CLI_PLAIN), ms(p, Subject.LAGSNAP_CLI_TUNED),
                    ms(p, Subject.LAGSNAP_CLI_TUNED_PARTITION_SERIES), ms(p, Subject.KAFKA_DESCRIBE_CLI),
                    ratio(p.speedUp(Subject.KAFKA_DESCRIBE_CLI, Subject.LAGSNAP_CLI_TUNED)));
        }
    }

    private static void requests(BenchResult result, StringBuilder out) {
        TreeSet<String> apis = new TreeSet<>(Comparator.comparingInt(ResultTable::apiRank)
                .thenComparing(Function.identity()));
        for (PointResult p : result.points()) {
            REQUEST_ROWS.forEach(s -> p.get(s).ifPresent(m -> apis.addAll(m.requests().keySet())));
        }
        out.append("Requests the broker received per run, by API (inter-node traffic left out):\n\n");
        List<String> header = new ArrayList<>(List.of("groups × partitions", "run"));
        header.addAll(apis);
        header.add("total");
        row(out, header.toArray(String[]::new));
        out.append("|---|---|").append("--:|".repeat(apis.size() + 1)).append('\n');
        for (PointResult p : result.points()) {
            for (Subject s : REQUEST_ROWS) {
                Optional<Measurement> measured = p.get(s);
                if (measured.isEmpty()) {
                    continue;
                }
                Measurement m = measured.get();
                List<String> cells = new ArrayList<>(List.of(p.point().label(), s.label()));
                apis.forEach(api -> cells.add(count(m.requests().getOrDefault(api, 0L))));
                cells.add(count(m.totalRequests()));
                row(out, cells.toArray(String[]::new));
            }
        }
    }

    private static void memory(BenchResult result, StringBuilder out) {
        out.append("Memory of the cold runs, all with -Xmx256m except kafka describe's -Xmx256M "
                + "(heap: highest occupancy before a GC or at exit; RSS: VmHWM):\n\n");
        row(out, "groups × partitions", "plain java -jar heap / RSS", "recommended flags heap / RSS",
                "recommended flags, partition series heap / RSS", "kafka describe RSS");
        out.append("|---|--:|--:|--:|--:|\n");
        for (PointResult p : result.points()) {
            row(out, p.point().label(), heapAndRss(p, Subject.LAGSNAP_CLI_PLAIN),
                    heapAndRss(p, Subject.LAGSNAP_CLI_TUNED), heapAndRss(p, Subject.LAGSNAP_CLI_TUNED_PARTITION_SERIES),
                    mb(p, Subject.KAFKA_DESCRIBE_CLI, Measurement::peakRssKb));
        }
    }

    private static String heapAndRss(PointResult p, Subject s) {
        return p.get(s).isEmpty() ? NONE : mb(p, s, Measurement::peakHeapKb) + " / " + mb(p, s, Measurement::peakRssKb);
    }

    private static int apiRank(String api) {
        int i = API_ORDER.indexOf(api);
        return i < 0 ? API_ORDER.size() : i;
    }

    private static void row(StringBuilder out, String... cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String ms(PointResult p, Subject s) {
        return p.get(s).map(m -> String.format(Locale.ROOT, "%,d ms", m.medianMs())).orElse(NONE);
    }

    private static String ratio(Optional<Double> ratio) {
        return ratio.map(r -> String.format(Locale.ROOT, "**%.1f×**", r)).orElse(NONE);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String mb(PointResult p, Subject s, Function<Measurement, Long> kb) {
        return p.get(s).map(kb).map(k -> String.format(Locale.ROOT, "%,d MB", Math.round(k / 1024.0)))
                .orElse(NONE);
    }
}
