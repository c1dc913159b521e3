package io.lagsnap.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/** The Markdown result of a {@link LatencyBench} run: medians per delay and subject, requests, and the targets. */
final class LatencyReport {
    private LatencyReport() {
    }

    static String markdown(SweepPoint point, int runs, Machine machine,
                           Map<Double, Map<LatencyBench.Cli, List<LatencyBench.Sample>>> samples) {
        StringBuilder out = new StringBuilder();
        out.append("# Latency sweep, ").append(point.label()).append(" group-partitions, time lag on\n\n")
                .append("Machine: ").append(machine.summary()).append(". Load average (1/5/15 min) ")
                .append(machine.loadAtStart()).append(" at start, ").append(machine.loadAtEnd()).append(" at end.\n")
                .append(runs).append(" interleaved cold runs per subject and delay; medians. CPU: user + system of the "
                        + "process. Round trips: sequential network round trips (busy periods at the proxy). Heap: "
                        + "highest occupancy before a GC or at exit; RSS: VmHWM.\n\n");
        out.append("| round trip | subject | wall | CPU | round trips | requests | heap | RSS | kafka ÷ this "
                        + "| incomplete runs |\n")
                .append("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        samples.forEach((delay, bySubject) -> {
            long kafkaWall = median(bySubject.get(LatencyBench.Cli.KAFKA), LatencyBench.Sample::wallMs);
            bySubject.forEach((cli, list) -> {
                long wall = median(list, LatencyBench.Sample::wallMs);
                out.append(String.format(Locale.ROOT,
                        "| %s ms | %s | %,d ms | %,d ms | %d | %,d | %s | %s | %s | %d |%n",
                        delay, cli.label, wall, median(list, LatencyBench.Sample::cpuMs),
                        median(list, s -> s.roundTrips()), median(list, s -> total(s.requests())),
                        mb(list, LatencyBench.Sample::peakHeapKb), mb(list, LatencyBench.Sample::peakRssKb),
                        cli == LatencyBench.Cli.KAFKA ? "" : String.format(Locale.ROOT, "%.1f×",
                                kafkaWall / (double) Math.max(1, wall)),
                        list.stream().filter(sample -> !sample.complete()).count()));
            });
        });
        out.append("\nRequests by API (the last run of each subject at the largest delay):\n\n");
        Map<LatencyBench.Cli, List<LatencyBench.Sample>> last = samples.values().stream().reduce((a, b) -> b)
                .orElse(Map.of());
        TreeSet<String> apis = new TreeSet<>();
        last.values().forEach(l -> apis.addAll(l.get(l.size() - 1).requests().keySet()));
        out.append("| subject | ").append(String.join(" | ", apis)).append(" |\n|---|")
                .append("--:|".repeat(apis.size())).append('\n');
        last.forEach((cli, list) -> {
            Map<String, Long> requests = list.get(list.size() - 1).requests();
            out.append("| ").append(cli.label);
            apis.forEach(api -> out.append(" | ").append(requests.getOrDefault(api, 0L)));
            out.append(" |\n");
        });
        return out.toString();
    }

    private static long total(Map<String, Long> requests) {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long median(List<LatencyBench.Sample> samples, ToLongFunction<LatencyBench.Sample> value) {
        return Measurement.median(samples.stream().map(s -> value.applyAsLong(s)).toList());
    }

    private static String mb(List<LatencyBench.Sample> samples,
                             java.util.function.Function<LatencyBench.Sample, Long> kb) {
        List<Long> known = samples.stream().map(kb).filter(v -> v != null).toList();
        return known.isEmpty() ? "–" : String.format(Locale.ROOT, "%,d MB",
                Math.round(Measurement.median(known) / 1024.0));
    }
}
