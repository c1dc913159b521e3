package io.lagsnap.testkit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run's requests, as {@link LatencyProxy} relayed them, say about where it waits. The sequential round trips are
 * the busy periods of the network: maximal stretches in which at least one request was outstanding. Requests that
 * overlap count once; a request sent only after every earlier one was answered starts a new round trip, so each
 * added round trip costs the full network delay.
 */
public record Timeline(List<LatencyProxy.Exchange> exchanges) {
    public Timeline {
        exchanges = exchanges.stream().sorted(Comparator.comparingLong(LatencyProxy.Exchange::sentNanos)).toList();
    }

    public int sequentialRoundTrips() {
        return roundTrips().size();
    }

    /** The APIs of each sequential round trip, in the order they were sent. */
    public List<List<String>> roundTrips() {
        List<List<String>> out = new ArrayList<>();
        long busyUntil = Long.MIN_VALUE;
        for (LatencyProxy.Exchange e : exchanges) {
            if (e.sentNanos() >= busyUntil) {
                out.add(new ArrayList<>());
            }
            out.get(out.size() - 1).add(e.api());
            busyUntil = Math.max(busyUntil, e.answeredNanos());
        }
        return out.stream().map(List::copyOf).toList();
    }

    /** The requests of every other API: without {@code API_VERSIONS}, what a cycle asks once connected. */
    public Timeline without(String api) {
        return new Timeline(exchanges.stream().filter(e -> !e.api().equals(api)).toList());
    }

    public Map<String, Long> requestsByApi() {
        Map<String, Long> out = new TreeMap<>();
        exchanges.forEach(e -> out.merge(e.api(), 1L, Long::sum));
        return out;
    }

    /**
     * One line per request: when it was sent and answered (ms from the first), how long it took, its connection,
     * and, for one that starts a new round trip, the gap in which nothing was outstanding (the client's own time).
     */
    public String trace() {
        if (exchanges.isEmpty()) {
            return "no requests\n";
        }
        long start = exchanges.get(0).sentNanos();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%9s %9s %8s %5s %9s  %s%n", "sent_ms",
                "answer_ms", "took_ms", "conn", "gap_ms", "api"));
        long busyUntil = Long.MIN_VALUE;
        int round = 0;
        List<String> lines = new ArrayList<>();
        for (LatencyProxy.Exchange e : exchanges) {
            String gap = "";
            if (e.sentNanos() >= busyUntil) {
                round++;
                gap = busyUntil == Long.MIN_VALUE ? "start" : ms(e.sentNanos() - busyUntil);
            }
            busyUntil = Math.max(busyUntil, e.answeredNanos());
            lines.add(String.format(Locale.ROOT, "%9s %9s %8s %5d %9s  %s%s%n", ms(e.sentNanos() - start),
                    ms(e.answeredNanos() - start), ms(e.answeredNanos() - e.sentNanos()), e.connection(), gap,
                    e.api(), gap.isEmpty() ? "" : "  [round trip " + round + "]"));
        }
        lines.forEach(out::append);
        return out.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
